#!/usr/bin/env python3
"""Write a "newc" cpio archive (what `cpio -o -H newc` writes) for dom0's
ramdisk, without needing the cpio program, and deterministically: every
entry has mtime 0, uid/gid 0 and a fixed inode number.

    mkramdisk.py OUT.cpio ENTRY...

An ENTRY is one of
    /path/in/archive=host/file     a regular file (mode 0644)
    /path/in/archive@=target       a symbolic link to target
Parent directories are added as needed.
"""

import os
import sys


def header(ino, mode, size, namesize, nlink=1):
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, namesize, 0]
    return b"070701" + b"".join(b"%08x" % f for f in fields)


def pad4(n):
    return (4 - n % 4) % 4


def entry(ino, name, mode, data):
    raw = name.encode() + b"\0"
    out = header(ino, mode, len(data), len(raw)) + raw
    out += b"\0" * pad4(len(out))
    out += data + b"\0" * pad4(len(data))
    return out


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out_path, specs = argv[1], argv[2:]
    items = []  # (path, mode, data)
    dirs = set()
    for spec in specs:
        if "@=" in spec:
            path, target = spec.split("@=", 1)
            mode, data = 0o120777, target.encode()
        elif "=" in spec:
            path, host = spec.split("=", 1)
            with open(host, "rb") as f:
                data = f.read()
            mode = 0o100644
        else:
            print("mkramdisk: bad entry %r" % spec, file=sys.stderr)
            return 2
        path = path.strip("/")
        parts = path.split("/")
        for i in range(1, len(parts)):
            dirs.add("/".join(parts[:i]))
        items.append((path, mode, data))
    blob = b""
    ino = 1
    for d in sorted(dirs):
        blob += entry(ino, d, 0o040755, b"")
        ino += 1
    for path, mode, data in items:
        blob += entry(ino, path, mode, data)
        ino += 1
    blob += entry(0, "TRAILER!!!", 0, b"")
    blob += b"\0" * ((512 - len(blob) % 512) % 512)
    tmp = out_path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(blob)
    os.replace(tmp, out_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
