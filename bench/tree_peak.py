#!/usr/bin/env python3
"""Runs a command and reports the peak memory of its whole process tree (the command and
every process it starts, such as jianbao's worker processes), sampled every 5 ms from
/proc: the peak of the summed RSS and of the summed PSS (shared pages, like the fonts
in the binary that every worker maps, counted once across the processes), in KiB.
GNU time's maximum RSS sees one process at a time, so it would understate a build whose
work is spread over processes.

Usage: tree_peak.py CMD [ARGS...]   → prints "RSS_KIB PSS_KIB" on stdout"""
import os
import subprocess
import sys
import time


def children(pid):
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out.extend(int(c) for c in f.read().split())
    except OSError:
        pass
    return out


def tree(pid):
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(children(p))
    return seen


def rollup(pid):
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
peak_rss = peak_pss = 0
while proc.poll() is None:
    rss = pss = 0
    for p in tree(proc.pid):
        r, s = rollup(p)
        rss, pss = rss + r, pss + s
    peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
    time.sleep(0.005)
print(peak_rss, peak_pss)
sys.exit(proc.returncode)
