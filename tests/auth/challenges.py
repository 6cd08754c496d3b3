#!/usr/bin/env python3
"""NTLM CHALLENGE messages (MS-NLMP 2.2.1.2) and SPNEGO NegTokenResp
wrappers (RFC 4178) as a hostile server might send them.

    challenges.py token KIND [--spnego]       base64 of the token
    challenges.py raw KIND [--spnego]         the token's bytes
    challenges.py script KIND SCHEME          a loopback_server.py script: every
                                              answer a 401 with "SCHEME <token>"
    challenges.py seeds DIR                   the fuzz_auth seeds (tests/fuzz/seeds/auth):
                                              a mode byte (bit 0 SPNEGO, bit 1 channel
                                              binding) and the token

KINDs: valid, empty-target (a target type flag with an empty TargetName:
crashed gss-ntlmssp 1.2.0), big-info (60,000 bytes of target info), no-eol
(target info without MsvAvEOL), name-outside (TargetName past the end),
mid-info (2,000 bytes of target info: well-formed, too large for libcurl
7.88's NTLM buffer).
"""
import base64
import json
import struct
import sys

# UNICODE, REQUEST_TARGET, NTLM, ALWAYS_SIGN, TARGET_TYPE_DOMAIN,
# EXTENDED_SESSIONSECURITY, TARGET_INFO, VERSION, 128, KEY_EXCH, 56
FLAGS = 0xE2898205
NTLMSSP_OID = bytes.fromhex("2b06010401823702020a")


def av(av_id, value):
    return struct.pack("<HH", av_id, len(value)) + value


def utf16(text):
    return text.encode("utf-16-le")


def target_info(extra=b"", eol=True):
    info = (av(2, utf16("CONTOSO")) + av(1, utf16("EXCH01")) + av(4, utf16("contoso.com")) +
            av(3, utf16("exch01.contoso.com")) + av(7, struct.pack("<Q", 133000000000000000)))
    return info + extra + (av(0, b"") if eol else b"")


def challenge(name=utf16("CONTOSO"), info=None, flags=FLAGS, name_offset=None):
    info = target_info() if info is None else info
    head = 56  # fixed fields and Version
    name_at = head if name_offset is None else name_offset
    return (b"NTLMSSP\0" + struct.pack("<I", 2) +
            struct.pack("<HHI", len(name), len(name), name_at) + struct.pack("<I", flags) +
            b"\x01\x23\x45\x67\x89\xab\xcd\xef" + b"\0" * 8 +
            struct.pack("<HHI", len(info), len(info), head + len(name)) +
            b"\x0a\x00\x63\x45\x00\x00\x00\x0f" + name + info)


def der(tag, content):
    n = len(content)
    if n < 0x80:
        length = bytes([n])
    elif n < 0x100:
        length = bytes([0x81, n])
    else:
        length = bytes([0x82, n >> 8, n & 0xFF])
    return bytes([tag]) + length + content


def spnego(inner):
    """NegTokenResp: accept-incomplete, NTLMSSP chosen, inner as responseToken."""
    fields = (der(0xA0, der(0x0A, b"\x01")) + der(0xA1, der(0x06, NTLMSSP_OID)) +
              der(0xA2, der(0x04, inner)))
    return der(0xA1, der(0x30, fields))


KINDS = {
    "valid": lambda: challenge(),
    "empty-target": lambda: challenge(name=b""),
    "big-info": lambda: challenge(info=target_info(av(0x55, b"A" * 60000))),
    "mid-info": lambda: challenge(info=target_info(av(0x55, b"A" * 2000))),
    "no-eol": lambda: challenge(info=target_info(eol=False)),
    "name-outside": lambda: challenge(name_offset=100000),
}


def write_seeds(directory):
    for kind, make in sorted(KINDS.items()):
        for mode, suffix in ((0, "ntlm"), (2, "ntlm-bound"), (1, "spnego"), (3, "spnego-bound")):
            if kind == "big-info" and mode & 2:
                continue  # one binding variant of the largest is enough
            token = spnego(make()) if mode & 1 else make()
            with open("%s/%s-%s" % (directory, kind, suffix), "wb") as f:
                f.write(bytes([mode]) + token)


def main(argv):
    if argv[1] == "seeds":
        write_seeds(argv[2])
        return 0
    what, kind = argv[1], argv[2]
    token = KINDS[kind]()
    if "--spnego" in argv:
        token = spnego(token)
    if what == "raw":
        sys.stdout.buffer.write(token)
    elif what == "token":
        print(base64.b64encode(token).decode())
    else:
        scheme = argv[3]
        value = "%s %s" % (scheme, base64.b64encode(spnego(token) if scheme == "Negotiate"
                                                      else token).decode())
        print(json.dumps([{"status": 401, "headers": {"WWW-Authenticate": value}}]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
