#!/usr/bin/env python3
"""Runs a command and prints, as one JSON line on stderr, its wall time and its
peak resident memory and CPU time (its own and its children's, from wait4): the
one way the benchmarks measure every process, comics and its peers alike.

    rusage.py <command> [args...]   ->   stderr: {"wallMs": ..., "maxRssKb": ..., "cpuMs": ..., "code": ...}
"""
import json
import os
import subprocess
import sys
import time

started = time.monotonic()
child = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(child.pid, 0)
wall = (time.monotonic() - started) * 1000
code = os.waitstatus_to_exitcode(status)
print(json.dumps({'wallMs': round(wall, 1), 'maxRssKb': usage.ru_maxrss, 'cpuMs': round((usage.ru_utime + usage.ru_stime) * 1000, 1), 'code': code}), file=sys.stderr)
sys.exit(0 if code == 0 else 1)
