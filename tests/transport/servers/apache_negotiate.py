#!/usr/bin/env python3
"""A private Apache with mod_auth_gssapi (gss-ntlmssp) on 127.0.0.1.

The real Negotiate (SPNEGO) acceptor of the transport tests. Writes its own
configuration into --dir, starts apache2 in the foreground on a free port,
prints "PORT main <n>" and "READY" once it accepts connections, and stops
Apache when stdin closes or on SIGTERM. Prints "SKIP <what>" and exits with
77 when a piece is not installed.

Credentials are verified by gss-ntlmssp against NTLM_USER_FILE
(DOMAIN:user:password lines), which Apache inherits from this process.
"""
import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

MODULES = "/usr/lib/apache2/modules"
NEEDED = ["mod_mpm_event.so", "mod_authn_core.so", "mod_authz_core.so",
          "mod_authz_user.so", "mod_auth_gssapi.so"]
NTLMSSP_MECH = "/usr/lib/x86_64-linux-gnu/gssntlmssp/gssntlmssp.so"


def find_apache():
    for path in ("/usr/sbin/apache2", shutil.which("apache2") or ""):
        if path and os.access(path, os.X_OK):
            return path
    return None


def missing_pieces():
    missing = []
    if not find_apache():
        missing.append("apache2")
    for mod in NEEDED:
        if not os.path.exists(os.path.join(MODULES, mod)):
            missing.append(mod)
    if not any(os.path.exists(p) for p in (NTLMSSP_MECH, "/etc/gss/mech.d/ntlmssp.conf")):
        missing.append("gss-ntlmssp")
    return missing


def free_port():
    # Apache cannot report a port it chose itself; the window between this
    # close and Apache's bind is tiny on loopback.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(d, port):
    docroot = os.path.join(d, "htdocs", "EWS")
    os.makedirs(docroot, exist_ok=True)
    with open(os.path.join(docroot, "Exchange.asmx"), "w") as f:
        f.write("<ok/>\n")
    user_directive = ""
    if os.geteuid() == 0:
        # Apache will not serve as root; its workers must read the docroot.
        user_directive = "User www-data\nGroup www-data\n"
    loads = "\n".join(
        "LoadModule %s_module %s/%s" % (m[4:-3], MODULES, m) for m in NEEDED)
    conf = f"""ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {d}/apache.pid
DefaultRuntimeDir {d}
Mutex file:{d} default
ErrorLog {d}/error.log
LogLevel warn
{user_directive}{loads}
DocumentRoot {d}/htdocs
KeepAlive On
MaxKeepAliveRequests 0
<Location />
  AuthType GSSAPI
  AuthName "ews-c transport test"
  GssapiAllowedMech ntlmssp
  GssapiConnectionBound On
  Require valid-user
</Location>
"""
    path = os.path.join(d, "httpd.conf")
    with open(path, "w") as f:
        f.write(conf)
    return path


def wait_listening(port, proc, deadline):
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True, help="private directory (config, logs)")
    ap.add_argument("--user-file", required=True, help="NTLM_USER_FILE for gss-ntlmssp")
    args = ap.parse_args()

    missing = missing_pieces()
    if missing:
        print("SKIP not installed: " + ", ".join(missing), flush=True)
        return 77

    d = os.path.abspath(args.dir)
    os.chmod(d, 0o755)
    os.chmod(args.user_file, 0o644)
    env = dict(os.environ, NTLM_USER_FILE=os.path.abspath(args.user_file))
    for attempt in range(3):
        port = free_port()
        conf = write_config(d, port)
        proc = subprocess.Popen([find_apache(), "-f", conf, "-DFOREGROUND"],
                                env=env, stdin=subprocess.DEVNULL)
        if wait_listening(port, proc, time.monotonic() + 10):
            break
        if proc.poll() is None:
            proc.terminate()
        proc.wait()
    else:
        sys.stderr.write(open(os.path.join(d, "error.log")).read()
                         if os.path.exists(os.path.join(d, "error.log")) else "")
        print("FAIL apache did not start", flush=True)
        return 1

    stopping = threading.Event()

    def stop(*_):
        stopping.set()
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        os._exit(0)

    def watch():
        proc.wait()
        if stopping.is_set():
            return
        print("apache exited early with status %d" % proc.returncode,
              file=sys.stderr, flush=True)
        os._exit(1)

    signal.signal(signal.SIGTERM, stop)
    print("PORT main %d" % port, flush=True)
    print("READY", flush=True)
    threading.Thread(target=watch, daemon=True).start()
    # The test holds our stdin open for as long as it needs us.
    sys.stdin.read()
    stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
