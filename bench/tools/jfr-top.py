#!/usr/bin/env python3
"""Where a flight recording's CPU samples went: `jfr print --stack-depth 200 --events jdk.ExecutionSample REC.jfr | jfr-top.py`.
Prints the share of samples by top frame (the method on CPU), by the first frame of the hub's own code
(com.esii) on the stack, and by thread name."""
import collections, re, sys

top, own, threads, total = collections.Counter(), collections.Counter(), collections.Counter(), 0
event = None
for line in sys.stdin:
    line = line.rstrip()
    if line.startswith("jdk.ExecutionSample"):
        event = {"frames": []}
        total += 1
        continue
    if event is None:
        continue
    m = re.match(r'\s+sampledThread = "([^"]*)"', line)
    if m:
        threads[re.sub(r"\d+", "N", m.group(1))] += 1
    m = re.match(r"\s+([\w$.<>/]+\.[\w$<>]+)\(.*line:", line)
    if m:
        event["frames"].append(m.group(1))
    if line.strip() == "]" or line.strip() == "}":
        if event["frames"]:
            top[event["frames"][0]] += 1
            mine = next((f for f in event["frames"] if f.startswith("com.esii")), "(no hub frame)")
            own[mine] += 1
            event["frames"] = []

def show(title, counter, n=25):
    print(f"\n## {title} ({total} samples)\n")
    for k, v in counter.most_common(n):
        print(f"{100.0 * v / max(total, 1):5.1f} %  {k}")

show("Top frame", top)
show("First hub frame on the stack", own)
show("Thread", threads, 15)
