#!/usr/bin/env python3
"""Write the seed corpus of fuzz_xenbus_ring: streams of xenstored's
responses on a domU's ring (tests/fuzz/fuzz_xenbus_ring.c says how they
are read: flags, the first index, the four waiting requests' types,
then ops that write the stream in pieces or scribble on the page).

    gen_xenbus_ring_corpus.py DIR
"""

import os
import struct
import sys

T = {name: i for i, name in enumerate(
    "CONTROL DIRECTORY READ GET_PERMS WATCH UNWATCH TRANSACTION_START "
    "TRANSACTION_END INTRODUCE RELEASE GET_DOMAIN_PATH WRITE MKDIR RM "
    "SET_PERMS WATCH_EVENT ERROR IS_DOMAIN_INTRODUCED RESUME SET_TARGET "
    "RESTRICT RESET_WATCHES DIRECTORY_PART".split())}

WAITING = ["READ", "WRITE", "DIRECTORY", "TRANSACTION_START"]  # ids 1-4


def msg(kind, body, req=0, length=None):
    n = len(body) if length is None else length
    return struct.pack("<IIII", T[kind], req, 0, n) + body


def start(index):
    return bytes([0]) + struct.pack("<I", index) + bytes(T[k] for k in WAITING)


def pieces(stream, size=200):
    out = b""
    for i in range(0, len(stream), size):
        part = stream[i:i + size]
        out += bytes([len(part) - 1]) + part
    return out


def scribble_prod(value):
    return b"\xff" + struct.pack("<I", value)


def req_indices(prod, cons):
    return b"\xfd" + struct.pack("<II", prod, cons)


SEEDS = {
    "replies": start(0) + pieces(
        msg("READ", b"hello", req=1) + msg("ERROR", b"ENOENT\0", req=2)
        + msg("WRITE", b"OK\0", req=3) + msg("READ", b"late", req=9)
        + msg("WATCH_EVENT", b"/local/domain/1/device\0tok1\0")
        + msg("WATCH_EVENT", b"/path\0no-nul")
        + msg("DIRECTORY", b"a\0b\0c\0", req=3)
        + msg("TRANSACTION_START", b"7\0", req=4), 64),
    "wrapping": start(0xfffffe00) + pieces(
        msg("READ", bytes(range(256)) * 12, req=1)
        + msg("WATCH_EVENT", b"/w\0t\0") + msg("ERROR", b"EAGAIN\0", req=4))
        + req_indices(0x10, 0xfffffff0),
    "hostile": start(0x1234) + pieces(msg("READ", b"ok", req=1))
        + scribble_prod(0x1234 + 2000) + pieces(msg("READ", b"x", req=1)),
    "oversized": start(7) + pieces(msg("READ", b"", req=1, length=4097)),
    "error": start(0) + pieces(msg("WRITE", b"OK\0", req=2)[:10]) + b"\xfe"
        + pieces(msg("WRITE", b"OK\0", req=2)[10:]),
}

os.makedirs(sys.argv[1], exist_ok=True)
for name, data in SEEDS.items():
    with open(os.path.join(sys.argv[1], name + ".bin"), "wb") as f:
        f.write(data)
