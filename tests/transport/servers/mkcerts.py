#!/usr/bin/env python3
"""Makes the TLS test PKI with the openssl CLI: a test CA and server
certificates for the verification cases.

Usage: mkcerts.py DIR. Writes DIR/ca.pem, DIR/capath/ (the CA under its
subject hash, as OpenSSL's CApath wants) and DIR/<name>.pem + DIR/<name>.key:
  good        SAN localhost + 127.0.0.1, signed by the CA
  wronghost   SAN other.example only
  expired     SAN localhost, validity ended before it began
  selfsigned  SAN localhost, signed by itself (not by the CA)
  cnonly      CN=localhost but SAN other.example: a client must not fall
              back to the CN when a SAN is present
  autodiscover  the host names of the Autodiscover tests (loopback autodiscover mode),
              the parent domains and the TLD included, so that a request a
              client should never make would still be seen
Exit 77 when openssl is missing.
"""
import os
import shutil
import subprocess
import sys

KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

LEAVES = {
    # name: (CN, subjectAltName, days, self-signed)
    "good": ("localhost", "DNS:localhost,IP:127.0.0.1", 2, False),
    "wronghost": ("other.example", "DNS:other.example", 2, False),
    "expired": ("localhost", "DNS:localhost,IP:127.0.0.1", -1, False),
    "selfsigned": ("localhost", "DNS:localhost,IP:127.0.0.1", 2, True),
    "cnonly": ("localhost", "DNS:other.example", 2, False),
    # curl takes no wildcard right above the top-level domain: the
    # second-level names are listed one by one.
    "autodiscover": ("autodiscover test", ",".join(
        "DNS:%s%s.test" % (w, d)
        for d in ("first", "second", "redir", "srv", "addr", "url", "httpredir", "loop",
                  "cross", "other", "parent", "sub.parent", "deep.sub.parent", "auth",
                  "autodiscover")
        for w in ("", "*.")), 2, False),
}


def run(*args):
    subprocess.run(["openssl", *args], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    if not shutil.which("openssl"):
        print("SKIP openssl is not installed", flush=True)
        return 77
    d = sys.argv[1]
    p = lambda name: os.path.join(d, name)  # noqa: E731
    run("req", "-x509", *KEY, "-keyout", p("ca.key"), "-out", p("ca.pem"), "-days", "2",
        "-subj", "/CN=ews-c transport test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    subject_hash = subprocess.run(["openssl", "x509", "-hash", "-noout", "-in", p("ca.pem")],
                                  check=True, capture_output=True, text=True).stdout.strip()
    os.makedirs(p("capath"), exist_ok=True)
    shutil.copy(p("ca.pem"), os.path.join(p("capath"), subject_hash + ".0"))
    for name, (cn, san, days, selfsigned) in LEAVES.items():
        ext = p(name + ".ext")
        with open(ext, "w") as f:
            f.write("subjectAltName=%s\nbasicConstraints=CA:FALSE\n"
                    "extendedKeyUsage=serverAuth\n" % san)
        if selfsigned:
            run("req", "-x509", *KEY, "-keyout", p(name + ".key"), "-out", p(name + ".pem"),
                "-days", str(days), "-subj", "/CN=" + cn, "-addext", "subjectAltName=" + san)
            continue
        run("req", "-new", *KEY, "-keyout", p(name + ".key"), "-out", p(name + ".csr"),
            "-subj", "/CN=" + cn)
        run("x509", "-req", "-in", p(name + ".csr"), "-CA", p("ca.pem"), "-CAkey", p("ca.key"),
            "-CAcreateserial", "-days", str(days), "-extfile", ext, "-out", p(name + ".pem"))
    print("OK", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
