#!/usr/bin/env python3
"""The compat suite: Debian's real xenstore-utils against Paravane's
xenstored (the host daemon, build/tools/xenstored-host).

The daemon listens on a socket in a temporary directory; every client
finds it through XENSTORED_PATH, as libxenstore 4.17 does. Each case
runs the clients (each with a timeout) and checks their output and exit
status; the clients do every operation in a transaction and retry on
EAGAIN, so parallel writers exercise the conflict detection too.

    run.py [--daemon build/tools/xenstored-host]

Prints a PASS/FAIL line per case, then "compat: N passed, N failed".
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

TIMEOUT = 10
CASES = []


def case(fn):
    CASES.append(fn)
    return fn


class Failure(Exception):
    pass


class Env:
    def __init__(self, sock):
        self.env = dict(os.environ, XENSTORED_PATH=sock)

    def run(self, *argv, ok=True, timeout=TIMEOUT):
        p = subprocess.run(argv, env=self.env, capture_output=True,
                           text=True, timeout=timeout)
        if ok and p.returncode != 0:
            raise Failure("%s: exit %d: %s" % (" ".join(argv), p.returncode,
                                               p.stderr.strip()))
        return p

    def out(self, *argv):
        return self.run(*argv).stdout

    def popen(self, *argv):
        return subprocess.Popen(argv, env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)


def expect(got, want, what):
    if got != want:
        raise Failure("%s: got %r, wanted %r" % (what, got, want))


@case
def write_then_read(x):
    x.run("xenstore-write", "/a/b", "hello", "/a/c", "world")
    expect(x.out("xenstore-read", "/a/b", "/a/c"), "hello\nworld\n", "read")
    expect(x.out("xenstore-read", "-p", "/a/b"), "/a/b: hello\n", "read -p")
    expect(x.out("xenstore", "read", "/a/c"), "world\n", "xenstore read")


@case
def reading_a_missing_node_fails(x):
    p = x.run("xenstore-read", "/nope", ok=False)
    expect(p.returncode, 1, "exit status")
    if "couldn't read path /nope" not in p.stderr:
        raise Failure("stderr: %r" % p.stderr)


@case
def list_and_exists(x):
    x.run("xenstore-write", "/l/one", "1", "/l/two", "2")
    expect(x.out("xenstore-list", "/l"), "one\ntwo\n", "list")
    expect(x.out("xenstore-list", "-p", "/l"), "/l/one\n/l/two\n", "list -p")
    expect(x.run("xenstore-exists", "/l/one").returncode, 0, "exists")
    expect(x.run("xenstore-exists", "/l/three", ok=False).returncode, 1,
           "exists (missing)")


@case
def ls_shows_the_tree(x):
    x.run("xenstore-write", "/t/a/b", "deep", "/t/c", 'say "hi"')
    expect(x.out("xenstore-ls", "/t"),
           'a = ""\n b = "deep"\nc = "say "hi""\n', "ls /t")
    root = x.out("xenstore-ls")
    if not root.startswith('tool = ""\n xenstored = ""\n'):
        raise Failure("ls /: %r" % root)


@case
def ls_full_paths_and_permissions(x):
    x.run("xenstore-write", "/f/x", "1")
    x.run("xenstore-chmod", "/f/x", "n0", "r5", "b7")
    got = x.out("xenstore-ls", "-f", "-p", "/f")
    expect(got.split(), ["/f/x", "=", '"1"', "(n0,r5,b7)"], "ls -fp")


@case
def rm_and_rm_tidy(x):
    x.run("xenstore-write", "/r/a/b/c", "1", "/r/keep", "k")
    x.run("xenstore-rm", "/r/a/b/c")
    expect(x.run("xenstore-exists", "/r/a/b/c", ok=False).returncode, 1,
           "removed")
    x.run("xenstore-exists", "/r/a/b")
    x.run("xenstore-write", "/r/a/b/c", "1")
    x.run("xenstore-rm", "-t", "/r/a/b/c")
    expect(x.out("xenstore-list", "/r"), "keep\n", "tidied up to /r")
    x.run("xenstore-rm", "/r/not-there")  # fine: its parent exists
    p = x.run("xenstore-rm", "/no/parent", ok=False)
    expect(p.returncode, 1, "rm without a parent")


@case
def chmod_recursive_and_refused_modes(x):
    x.run("xenstore-write", "/c/d/e", "1", "/c/f", "2")
    x.run("xenstore-chmod", "-r", "/c", "r3")
    expect(x.out("xenstore-ls", "-f", "-p", "/c").count("(r3)"), 3,
           "chmod -r")
    p = x.run("xenstore-chmod", "/c", "q1", ok=False)
    if p.returncode == 0:
        raise Failure("mode q1 was accepted")


@case
def watch_fires_at_once_and_per_change(x):
    x.run("xenstore-write", "/w", "")
    w = x.popen("xenstore-watch", "-n", "3", "/w")
    time.sleep(0.3)
    x.run("xenstore-write", "/w/a", "1")
    x.run("xenstore-write", "/elsewhere", "1")
    x.run("xenstore-write", "/w/b", "2")
    try:
        out, err = w.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        w.kill()
        raise Failure("xenstore-watch saw fewer than 3 events")
    expect(out, "/w\n/w/a\n/w/b\n", "watch output")


@case
def watch_hears_a_removal(x):
    x.run("xenstore-write", "/wr/sub/leaf", "1")
    w = x.popen("xenstore-watch", "-n", "2", "/wr/sub/leaf")
    time.sleep(0.3)
    x.run("xenstore-rm", "/wr/sub")
    try:
        out, _ = w.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        w.kill()
        raise Failure("the removal was not heard")
    expect(out, "/wr/sub/leaf\n/wr/sub/leaf\n", "watch output")


@case
def special_watches(x):
    out = x.out("xenstore-watch", "-n", "1", "@introduceDomain")
    expect(out, "@introduceDomain\n", "the first event")


@case
def parallel_writers_all_commit(x):
    procs = [x.popen("xenstore-write", "/par/n%d" % i, str(i))
             for i in range(20)]
    for p in procs:
        p.communicate(timeout=TIMEOUT)
        expect(p.returncode, 0, "a writer's exit")
    names = x.out("xenstore-list", "/par").split()
    expect(sorted(names), sorted("n%d" % i for i in range(20)), "children")


@case
def long_lists_and_values(x):
    args = []
    for i in range(300):
        args += ["/big/child-with-a-long-name-%04d" % i, str(i)]
    x.run("xenstore-write", *args)
    # Over 4096 bytes of names: libxenstore falls back to DIRECTORY_PART.
    expect(len(x.out("xenstore-list", "/big").split()), 300, "children")
    value = "v" * 3000
    x.run("xenstore-write", "/long", value)
    expect(x.out("xenstore-read", "/long"), value + "\n", "long value")


@case
def bad_paths_are_refused(x):
    for path in ("a//b", "/trailing/", "/sp ace"):
        p = x.run("xenstore-write", path, "x", ok=False)
        if p.returncode == 0:
            raise Failure("%r was accepted" % path)


def start_daemon(daemon, tmp):
    sock = os.path.join(tmp, "socket")
    proc = subprocess.Popen([daemon, "--socket", sock],
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    for _ in range(100):
        if os.path.exists(sock):
            return proc, sock
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("xenstored-host did not start")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--daemon", default="build/tools/xenstored-host")
    args = ap.parse_args()
    passed = failed = 0
    if not shutil.which("xenstore-write"):
        print("compat: xenstore-utils is not installed (tools/deps.sh)")
        print("compat: 0 passed, 1 failed")
        return 1
    tmp = tempfile.mkdtemp(prefix="xenstored-compat-")
    daemon, sock = start_daemon(args.daemon, tmp)
    try:
        x = Env(sock)
        for fn in CASES:
            try:
                fn(x)
                print("  PASS    %s" % fn.__name__)
                passed += 1
            except (Failure, subprocess.TimeoutExpired) as e:
                print("  FAIL    %s: %s" % (fn.__name__, e))
                failed += 1
        if daemon.poll() is not None:
            print("  FAIL    the daemon died (exit %d)" % daemon.returncode)
            failed += 1
    finally:
        daemon.kill()
        daemon.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    print("compat: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
