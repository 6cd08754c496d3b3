"""Samba's ntlm_auth as an NTLM acceptor, one helper per TCP connection.

NTLM authenticates the connection: the type-1/type-2/type-3 exchange keeps
state in the helper process, so each connection owns one. The helper checks
NTLMv2 responses against a fixed password, with no domain controller.
"""
import os
import shutil
import subprocess


def ntlm_auth_path():
    """Path of Samba's ntlm_auth (package winbind), or None."""
    for path in (shutil.which("ntlm_auth"), "/usr/bin/ntlm_auth"):
        if path and os.access(path, os.X_OK):
            return path
    return None


class NtlmHelper:
    def __init__(self, password, domain):
        self.proc = subprocess.Popen(
            [ntlm_auth_path(), "--helper-protocol=squid-2.5-ntlmssp",
             "--password=" + password, "--domain=" + domain],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, bufsize=1)

    def _ask(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def negotiate(self, type1_b64):
        """Type-1 in, type-2 challenge out (base64), or None."""
        answer = self._ask("YR " + type1_b64)
        return answer[3:] if answer.startswith("TT ") else None

    def authenticate(self, type3_b64):
        """Type-3 in: the authenticated DOMAIN\\user, or None when rejected."""
        answer = self._ask("KK " + type3_b64)
        return answer[3:] if answer.startswith("AF ") else None

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
