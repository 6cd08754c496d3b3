#!/usr/bin/python3
"""exchangelib's path on a saved GetImItemList response: the bytes through
exchangelib.util.to_xml (lxml, as its services parse responses) and every
Persona element through Persona.from_xml, as FindPeople does.

usage: exchangelib_parse.py FILE [MAX_REPS [BUDGET_S]]
Prints one key=value line like ews-bench-parse (CPU time, as it does)."""
import resource
import statistics
import sys
import time

from exchangelib.items import Persona
from exchangelib.util import to_xml


def parse(data):
    tree = to_xml(data)
    personas = [Persona.from_xml(elem, account=None) for elem in tree.iter(Persona.response_tag())]
    return len(personas), sum(len(p.display_name or "") for p in personas)


def peak_rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main():
    path = sys.argv[1]
    max_reps = max(int(sys.argv[2]) if len(sys.argv) > 2 else 10, 1)
    budget = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
    with open(path, "rb") as f:
        data = f.read()
    rss0 = peak_rss()
    times = []
    count = 0
    start = time.process_time()
    # At least one repetition: the largest lists take minutes each.
    while len(times) < max_reps and (not times or time.process_time() - start < budget):
        t0 = time.process_time()
        count, _ = parse(data)
        times.append(time.process_time() - t0)
    print(f"impl=exchangelib bytes={len(data)} reps={len(times)} time_s={statistics.median(times):.6f} "
          f"rss_delta={peak_rss() - rss0} personas={count}")


if __name__ == "__main__":
    main()
