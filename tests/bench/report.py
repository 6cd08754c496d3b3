#!/usr/bin/python3
"""Turns run.sh's figures into docs/PERFORMANCE.md and a log-log plot.

usage: report.py MACHINE.txt RESULTS.txt OUT.md OUT.png

Every result line is key=value pairs; repeated rounds of one (impl, n) are
reduced to their median."""
import os
import statistics
import sys
from collections import defaultdict


def read_pairs(path):
    rows = []
    with open(path) as f:
        for line in f:
            kv = dict(p.split("=", 1) for p in line.split() if "=" in p)
            if kv:
                rows.append(kv)
    return rows


def read_machine(path):
    m = {}
    with open(path) as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                m[k] = v
    return m


def medians(rows, key=lambda r: (r["impl"], int(r.get("n", r.get("threads", 0))))):
    """key(row) -> {key: median over rounds} for numeric keys; by default
    the key is (impl, n)."""
    groups = defaultdict(list)
    for r in rows:
        groups[key(r)].append(r)
    out = {}
    for key, rs in groups.items():
        agg = {"rounds": len(rs)}
        for k in rs[0]:
            try:
                agg[k] = statistics.median(float(r[k]) for r in rs if k in r)
            except ValueError:
                pass
        out[key] = agg
    return out


def fmt_time(s):
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.1f} ms"
    return f"{s:.2f} s"


def fmt_mb(b):
    return f"{b / 1e6:.1f} MB" if b >= 1e6 else f"{b / 1e3:.0f} kB"


def verdict(ok):
    return "**met**" if ok else "**not met**"


def main():
    machine_path, results_path, md_path, png_path = sys.argv[1:5]
    machine = read_machine(machine_path)
    rows = read_pairs(results_path)
    parse_rows = [r for r in rows
                  if r["impl"] in ("ews", "dom", "reader", "exchangelib")]
    e2e_rows = [r for r in rows if r["impl"].startswith("e2e-")]
    sweep_rows = [r for r in rows if r["impl"].startswith("sweep-")]
    tc_rows = [r for r in rows if r["impl"] == "textcheck"]
    m = medians(parse_rows)
    # (impl, response bytes): one run per response
    e2e = medians(e2e_rows, key=lambda r: (r["impl"], int(r["response_bytes"])))
    sweeps = medians(sweep_rows, key=lambda r: int(r["threads"]))
    tc = medians(tc_rows)
    sizes = sorted({n for (_, n) in m})
    get = lambda impl, n, k: m.get((impl, n), {}).get(k)

    # Written section by section, put in reading order at the end: the
    # targets first, the run's tables, the hand-measured figures, where the
    # time goes, then how it was measured.
    lines, machine_part, parse_part, targets_part, e2e_part = [], [], [], [], []
    w = lines.append
    w("# Performance")
    w("")
    w("Written by `tests/bench/run.sh` (do not edit by hand; run it again). "
      "Every figure below was measured in one run on the machine described "
      "at the end; compare ratios, not absolute times, across runs. The targets "
      "come first, then the run's tables, the figures measured by hand for issue "
      "16, a short account of where the time goes, and how it was all measured. "
      "What was tried on the way, with its own figures, is in "
      "`tests/bench/findings.md`.")
    w("")
    w = machine_part.append
    w("## Machine and run")
    w("")
    w(f"- {machine.get('nproc')} cores ({machine.get('cpu')}), {machine.get('mem_gib')} GiB, "
      f"Linux {machine.get('kernel')}; {machine.get('cc')}")
    w(f"- load average (1, 5, 15 min) at start {machine.get('load_start')}, at end "
      f"{machine.get('load_end')}: the machine was shared with other work. Parse times are "
      "therefore CPU time of the benchmark process (user + system), not wall time; each is "
      "the median of repetitions inside a process, then the median over interleaved "
      "rounds. End-to-end calls/s are wall time (the client, the server's threads and "
      "other work share the cores) and suffer the load most; their CPU time per call "
      "(the calling thread's) less so")
    w(f"- libxml2 {machine.get('libxml2')}, gSOAP {machine.get('gsoap')} (Debian's libgsoap.a), "
      f"exchangelib {machine.get('exchangelib')} (Debian's python3-exchangelib); run "
      f"{machine.get('date')}")
    w("")
    w("## What is measured")
    w("")
    w("`ews-bench-gen N` writes a GetImItemList response with N personas shaped like the "
      "fuller persona of Microsoft's reference example (two attributions, attributed "
      "names, phones, e-mail, IM address; unique ids) and 20 groups whose "
      "MemberCorrelationKey ItemIds are attribution SourceIds, every persona in one group. "
      "About 3.7 kB per persona, no whitespace between elements. On the same bytes, in memory:")
    w("")
    w("- **ews-c**: `ews_imlist_parse` (gSOAP deserializer, SOAP_XML_TREE, limits, accessor "
      "index with the member join), then every persona's display name and primary "
      "e-mail address through the accessors, every group's personas, then "
      "`ews_imlist_free`")
    w("- **libxml2 DOM**: `xmlReadMemory`, then `xmlFreeDoc` (a parse that builds a tree "
      "and nothing typed)")
    w("- **libxml2 reader**: `xmlTextReaderRead` over every node, the streaming floor")
    w("- **exchangelib**: `exchangelib.util.to_xml` (lxml) and `Persona.from_xml` for "
      "every Persona element, as its FindPeople service does")
    w("")
    w("Peak memory is the rise of the process's peak RSS over what it held with the "
      "response loaded; heap peak and allocation counts come from a malloc interposer "
      "in the C benchmark (its bookkeeping is included in the C timings).")
    w("")

    w = parse_part.append
    w("## Parse: figures")
    w("")
    w("| personas | response | ews-c | MB/s | personas/s | peak RSS rise | heap peak | allocs/persona | index build | libxml2 DOM | libxml2 reader | exchangelib |")
    w("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        b = get("ews", n, "bytes") or get("dom", n, "bytes")
        t = get("ews", n, "time_s")
        if not b or not t:
            continue
        rss = get("ews", n, "rss_delta")
        heap = get("ews", n, "heap_peak")
        allocs = get("ews", n, "allocs")
        idx = get("ews", n, "index_s")
        cells = [f"{n:,}", fmt_mb(b), fmt_time(t), f"{b / t / 1e6:.1f}", f"{n / t:,.0f}",
                 f"{fmt_mb(rss)} ({rss / b:.2f}×)", f"{fmt_mb(heap)} ({heap / b:.2f}×)",
                 f"{allocs / n:.0f}", fmt_time(idx)]
        for impl in ("dom", "reader", "exchangelib"):
            ti = get(impl, n, "time_s")
            ri = get(impl, n, "rss_delta")
            cells.append(f"{fmt_time(ti)}, {fmt_mb(ri)}" if ti else "—")
        w("| " + " | ".join(cells) + " |")
    w("")
    w("Ratios in the same run (above 1 means ews-c is faster):")
    w("")
    w("| personas | DOM ÷ ews-c | reader ÷ ews-c | exchangelib ÷ ews-c |")
    w("|---|---|---|---|")
    for n in sizes:
        t = get("ews", n, "time_s")
        if not t:
            continue
        cells = [f"{n:,}"]
        for impl in ("dom", "reader", "exchangelib"):
            ti = get(impl, n, "time_s")
            cells.append(f"{ti / t:.2f}" if ti else "—")
        w("| " + " | ".join(cells) + " |")
    w("")
    w(f"![time and peak memory against personas, log-log]({os.path.basename(png_path)})")
    w("")
    if tc:
        w("The well-formedness check of the whole response before the engine reads it "
          "(`ews_xml_check_document`, runtime/src/soap/wellformed.c, part of the ews-c figures "
          "above: UTF-8, XML characters, tags, attributes, references, namespaces, depth), "
          "against the byte-by-byte character-only pre-scan it grew out of, which "
          "`ews-bench-textcheck verify` found it to refuse wherever that one does, at the "
          "same byte or earlier, before these were taken (CPU time, median of 20):")
        w("")
        w("| personas | response | check | character pre-scan, byte by byte | ratio | share of the ews-c path |")
        w("|---|---|---|---|---|---|")
        for n in sorted(k for (impl, k) in tc):
            r = tc[("textcheck", n)]
            t = get("ews", n, "time_s")
            share = f"{100 * r['library_s'] / t:.1f}%" if t else "—"
            w(f"| {n:,} | {fmt_mb(r['bytes'])} | {fmt_time(r['library_s'])} | "
              f"{fmt_time(r['reference_s'])} | {r['reference_s'] / r['library_s']:.1f}× | {share} |")
        w("")

    w = targets_part.append
    w("## Targets")
    w("")
    w("Judged on every size from 1,000 personas up (at 10 personas fixed costs dominate).")
    w("")
    w("| target | figure | verdict |")
    w("|---|---|---|")
    big = [n for n in sizes if n >= 1000 and get("ews", n, "time_s")]

    def ratios(impl, inverse=False):
        out = []
        for n in big:
            ti, t = get(impl, n, "time_s"), get("ews", n, "time_s")
            if ti:
                out.append((n, t / ti if inverse else ti / t))
        return out

    def show(pairs, fmt="{:.2f}"):
        return ", ".join(f"{n:,}: " + fmt.format(v) for n, v in pairs)

    dom = ratios("dom")
    if dom:
        w(f"| parse + accessors ≥ 2.5× faster than libxml2 DOM parse | DOM ÷ ews-c = {show(dom)} | "
          f"{verdict(min(v for _, v in dom) >= 2.5)} |")
    rd = ratios("reader", inverse=True)
    if rd:
        w(f"| within 2× of libxml2's streaming reader | ews-c ÷ reader = {show(rd)} | "
          f"{verdict(max(v for _, v in rd) <= 2.0)} |")
    xl = ratios("exchangelib")
    if xl:
        w(f"| ≥ 30× faster than exchangelib | exchangelib ÷ ews-c = {show(xl, '{:.0f}')} | "
          f"{verdict(min(v for _, v in xl) >= 30)} |")
    mem = [(n, get("ews", n, "rss_delta") / get("ews", n, "bytes")) for n in big]
    if mem:
        w(f"| peak memory during the parse ≤ 1.5× the response | peak RSS rise ÷ response = {show(mem)} | "
          f"{verdict(max(v for _, v in mem) <= 1.5)} |")
    lo, hi = (min(big), max(big)) if big else (None, None)
    if lo and hi and hi >= 100 * lo:
        scale = hi / lo
        limit = scale * 1.1
        for label, key in (("time", "time_s"), ("memory (peak RSS rise)", "rss_delta"),
                           ("group-member join (index build: hash tables and the join)", "index_s")):
            a, b2 = get("ews", lo, key), get("ews", hi, key)
            if a and b2:
                w(f"| {label} linear in N: {scale:.0f}× personas ({lo:,} → {hi:,}) costs ≤ {limit:.0f}× | "
                  f"{b2 / a:.1f}× | {verdict(b2 / a <= limit)} |")
        a, b2 = get("ews", lo, "join_walk_s"), get("ews", hi, "join_walk_s")
        if a and b2:
            # Not the join itself (built with the index) but reading its result.
            w(f"| (not a target) walking every group's personas through the accessors | "
              f"{b2 / a:.1f}×: {a / lo * 1e9:.0f} ns per member at {lo:,}, {b2 / hi * 1e9:.0f} ns at "
              f"{hi:,}, where the personas no longer fit in the caches | — |")
    responses = sorted({b for (_, b) in e2e}, reverse=True)
    if e2e:
        figs, ok = [], True
        for b in responses:
            ews_c = e2e.get(("e2e-ews", b), {}).get("calls_per_s")
            curl_c = e2e.get(("e2e-curl", b), {}).get("calls_per_s")
            if ews_c and curl_c:
                figs.append(f"{fmt_mb(b)} response: {ews_c:,.0f} vs {curl_c:,.0f} calls/s = "
                            f"{100 * ews_c / curl_c:.0f}%")
                ok = ok and ews_c >= 0.9 * curl_c
        if figs:
            w(f"| end-to-end calls/s ≥ 90% of a plain libcurl loop | {'; '.join(figs)} | "
              f"{verdict(ok)} |")
    else:
        w("| end-to-end calls/s ≥ 90% of a plain libcurl loop | not measured: the client "
          "(`ews_client_new`, `ews_get_im_item_list`) had not landed | **pending** |")
    w("")

    w = e2e_part.append
    if e2e:
        w("## End to end")
        w("")
        w("Loopback, keep-alive (no new connection during the timed loops), TCP_NODELAY on "
          "both ends, against `ews-bench-server`, which answers every POST with one fixed "
          "response: the 10-persona GetImItemList response of the parse benchmark, and "
          "Microsoft's reference example (indented). `ews_get_im_item_list` calls on one "
          "client; the plain libcurl loop posts the very request bytes the library sent to "
          "the same server and reads the response into memory, parsing nothing: the "
          "transport floor. The two loops alternate in halves. CPU per call is the calling "
          "thread's CPU time (the server's threads excluded).")
        w("")
        w("| response | ews-c calls/s | libcurl loop calls/s | ews-c ÷ libcurl | ews-c CPU per call | libcurl loop CPU per call |")
        w("|---|---|---|---|---|---|")
        for b in responses:
            e, c = e2e.get(("e2e-ews", b), {}), e2e.get(("e2e-curl", b), {})
            if not e or not c:
                continue
            w(f"| {fmt_mb(b)} | {e['calls_per_s']:,.0f} | {c['calls_per_s']:,.0f} | "
              f"{100 * e['calls_per_s'] / c['calls_per_s']:.0f}% | "
              + (f"{fmt_time(e['client_cpu_s'] / e['calls'])} | "
                 f"{fmt_time(c['client_cpu_s'] / c['calls'])} |" if "client_cpu_s" in e else "— | — |"))
        w("")
        if sweeps:
            first = next(iter(sweeps.values()))
            w(f"Sweep: {first.get('calls', 0):,.0f} impersonated mailboxes (a call each, "
              f"{fmt_mb(first.get('sweep_response_bytes', 0))} response) spread over 1, 2 and 4 "
              "clients in parallel threads (2 cores):")
            w("")
            w("| threads | calls/s |")
            w("|---|---|")
            for t in sorted(sweeps):
                w(f"| {t} | {sweeps[t].get('calls_per_s', 0):,.0f} |")
            w("")

    # The figures measured by hand (issue 16: ews-bench-cli-json,
    # bench_export.py) and the short account of where the time goes; the
    # journal (findings.md) stays in tests/bench.
    hand = []
    for name in ("issue16_figures.md", "where_the_time_goes.md"):
        extra = os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
        if os.path.exists(extra):
            with open(extra) as f:
                hand += [f.read().rstrip("\n"), ""]
    lines += targets_part + parse_part + e2e_part + hand + machine_part

    with open(md_path, "w") as f:
        f.write("\n".join(lines) + "\n")
    plot(m, sizes, png_path)


def plot(m, sizes, png_path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax_t, ax_m) = plt.subplots(1, 2, figsize=(11, 4.5))
    names = {"ews": "ews-c (parse + accessors + join)",
             "dom": "libxml2 DOM",
             "reader": "libxml2 reader", "exchangelib": "exchangelib"}
    for impl, label in names.items():
        xs = [n for n in sizes if (impl, n) in m]
        if not xs:
            continue
        ax_t.loglog(xs, [m[(impl, n)]["time_s"] for n in xs], marker="o", label=label)
        ax_m.loglog(xs, [max(m[(impl, n)]["rss_delta"], 4096) / 1e6 for n in xs], marker="o",
                    label=label)
    xs = [n for n in sizes if ("ews", n) in m]
    if xs:
        ax_m.loglog(xs, [m[("ews", n)]["bytes"] / 1e6 for n in xs], "k--", label="response size")
    ax_t.set(xlabel="personas", ylabel="CPU seconds", title="Parse time (median)")
    ax_m.set(xlabel="personas", ylabel="MB", title="Peak RSS rise")
    for ax in (ax_t, ax_m):
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(png_path, dpi=110)


if __name__ == "__main__":
    main()
