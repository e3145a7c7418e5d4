#!/usr/bin/env python3
"""Write the seed corpus of fuzz_xs_wire: client byte streams of xs_wire
requests (tests/fuzz/fuzz_xs_wire.c says how they are read: a first byte
choosing the client and the piece size, then the requests).

    gen_xs_corpus.py DIR
"""

import os
import struct
import sys

T = {name: i for i, name in enumerate(
    "CONTROL DIRECTORY READ GET_PERMS WATCH UNWATCH TRANSACTION_START "
    "TRANSACTION_END INTRODUCE RELEASE GET_DOMAIN_PATH WRITE MKDIR RM "
    "SET_PERMS WATCH_EVENT ERROR IS_DOMAIN_INTRODUCED RESUME SET_TARGET "
    "RESTRICT RESET_WATCHES DIRECTORY_PART".split())}

PRIV, DOMU = 1, 0


def msg(kind, *strings, tx=0, req=0, raw=None):
    body = raw if raw is not None else b"".join(s.encode() + b"\0" for s in strings)
    return struct.pack("<IIII", T[kind], req, tx, len(body)) + body


def write(path, value, tx=0):
    return msg("WRITE", raw=path.encode() + b"\0" + value.encode(), tx=tx)


SEEDS = {
    "nodes": (PRIV, [write("/a/b", "v"), msg("READ", "/a/b"),
                     msg("DIRECTORY", "/a"), msg("MKDIR", "/a/c/d"),
                     msg("GET_PERMS", "/a/b"),
                     msg("SET_PERMS", "/a/b", "n0", "r1", "w2", "b3"),
                     msg("DIRECTORY_PART", "/a", "0"), msg("RM", "/a"),
                     msg("RM", "/a/x")]),
    "transaction": (PRIV, [write("/t/x", "1"), msg("TRANSACTION_START", ""),
                           msg("READ", "/t/x", tx=1), write("/t/y", "2", tx=1),
                           write("/t/x", "3"), msg("TRANSACTION_END", "T", tx=1),
                           msg("TRANSACTION_START", ""), msg("RM", "/t", tx=2),
                           msg("TRANSACTION_END", "F", tx=2)]),
    "watch": (PRIV, [msg("WATCH", "/w", "tok"), write("/w/a", "1"),
                     msg("WATCH", "rel", "t2"), write("rel/x", ""),
                     msg("UNWATCH", "/w", "tok"), msg("RESET_WATCHES")]),
    "domains": (PRIV | 0x80, [msg("INTRODUCE", "1", "2", "3"),
                              msg("IS_DOMAIN_INTRODUCED", "1"),
                              msg("INTRODUCE", "2", "4", "5"),
                              msg("SET_TARGET", "2", "1"),
                              msg("RESUME", "1"), msg("GET_DOMAIN_PATH", "1"),
                              write("/local/domain/1/x", ""),
                              msg("SET_PERMS", "/local/domain/1", "n1"),
                              msg("RELEASE", "2"), msg("INTRODUCE", "3", "7", "1"),
                              msg("CONTROL", "check")]),
    "domu": (DOMU | 6, [write("data/x", "1"), msg("READ", "data/x"),
                        msg("WATCH", "data", "t"), msg("TRANSACTION_START", ""),
                        write("data/y", "2", tx=1),
                        msg("TRANSACTION_END", "T", tx=1),
                        msg("INTRODUCE", "1", "2", "3"),
                        msg("SET_PERMS", "data/x", "n1", "r0")]),
    "malformed": (DOMU | 2, [msg("READ", raw=b"/a"), msg("READ", raw=b""),
                             msg("WRITE", raw=b"/nonul"), msg("READ", "a//b"),
                             msg("WATCH", "/a"), msg("ERROR", "EINVAL"),
                             struct.pack("<IIII", 99, 0, 0, 0),
                             struct.pack("<IIII", T["READ"], 0, 0, 4097)]),
}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, (mode, msgs) in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(bytes([mode]) + b"".join(msgs))


if __name__ == "__main__":
    main()
