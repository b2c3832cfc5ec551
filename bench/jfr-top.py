#!/usr/bin/env python3
"""Top frames of a JFR recording's CPU samples (jdk.ExecutionSample), from `jfr print`:
   bench/jfr-top.py recording.jfr [N]
prints the N (default 15) most sampled top frames (self time), the most sampled first org.edgeorch frames
(where the product's own code is on the stack), and the samples per thread pool."""
import collections, re, subprocess, sys

path = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 15
out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", path],
                     check=True, capture_output=True, text=True).stdout
top, own, threads = collections.Counter(), collections.Counter(), collections.Counter()
total = 0
for event in out.split("jdk.ExecutionSample {")[1:]:
    m = re.search(r'sampledThread = "([^"]*)"', event)
    thread = re.sub(r'[-#]?\d+$', '', m.group(1)) if m else "?"
    frames = []
    if "stackTrace = [" in event:
        body = event.split("stackTrace = [", 1)[1].split("]\n", 1)[0]
        frames = [re.sub(r'\s+line:.*$', '', l.strip()) for l in body.splitlines() if l.strip() and l.strip() != "..."]
    if not frames:
        continue
    total += 1
    top[frames[0]] += 1
    threads[thread] += 1
    first = next((f for f in frames if f.startswith("org.edgeorch.")), None)
    own[first or "(no org.edgeorch frame)"] += 1
print(f"{total} CPU samples")
for title, c in (("top frames (self)", top), ("first org.edgeorch frame on the stack", own), ("threads", threads)):
    print(f"-- {title}")
    for k, v in c.most_common(n):
        print(f"{100.0 * v / max(1, total):5.1f} %  {k}")
