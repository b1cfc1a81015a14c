#!/usr/bin/env python3
"""Where a flight recording's CPU samples went: `jfr print --stack-depth 200 --events jdk.ExecutionSample REC.jfr | jfr-top.py`.
Prints the share of samples by top frame (the method on CPU), by the first frame of the hub's own code
(com.esii) on the stack, and by thread name.

Options: --from HH:MM:SS and --to HH:MM:SS keep the samples of a window (the benchmark's report gives the burst's,
UTC as the recording's); --thread REGEX keeps the samples of matching threads; --inclusive N also prints the N hub
methods (and N library methods) found most often anywhere on the stack (a method counted once per sample), the
share of the samples in which each was running or waiting on a callee."""
import argparse, collections, re, sys

parser = argparse.ArgumentParser()
parser.add_argument("--from", dest="start", default=None)
parser.add_argument("--to", dest="end", default=None)
parser.add_argument("--thread", default=None)
parser.add_argument("--inclusive", type=int, default=0)
parser.add_argument("--top", type=int, default=25)
args = parser.parse_args()

top, own, threads, total = collections.Counter(), collections.Counter(), collections.Counter(), 0
inclusive, inclusive_lib = collections.Counter(), collections.Counter()
event = None


def keep(ev):
    if args.start and ev["time"] < args.start:
        return False
    if args.end and ev["time"] > args.end:
        return False
    if args.thread and not re.search(args.thread, ev["thread"]):
        return False
    return True


def finish(ev):
    global total
    if not ev["frames"] or not keep(ev):
        return
    total += 1
    threads[re.sub(r"\d+", "N", ev["thread"])] += 1
    top[ev["frames"][0]] += 1
    mine = next((f for f in ev["frames"] if f.startswith("com.esii")), "(no hub frame)")
    own[mine] += 1
    for f in set(ev["frames"]):
        (inclusive if f.startswith("com.esii") else inclusive_lib)[f] += 1


for line in sys.stdin:
    line = line.rstrip()
    if line.startswith("jdk.ExecutionSample"):
        event = {"frames": [], "time": "", "thread": ""}
        continue
    if event is None:
        continue
    m = re.match(r"\s+startTime = ([\d:.]+)", line)
    if m:
        event["time"] = m.group(1)
    m = re.match(r'\s+sampledThread = "([^"]*)"', line)
    if m:
        event["thread"] = m.group(1)
    m = re.match(r"\s+([\w$.<>/]+\.[\w$<>]+)\(.*line:", line)
    if m:
        event["frames"].append(m.group(1))
    if line.strip() == "}":
        finish(event)
        event = None


def show(title, counter, n=25):
    print(f"\n## {title} ({total} samples)\n")
    for k, v in counter.most_common(n):
        print(f"{100.0 * v / max(total, 1):5.1f} %  {k}")


show("Top frame", top, args.top)
show("First hub frame on the stack", own, args.top)
show("Thread", threads, 15)
if args.inclusive:
    show("Hub methods anywhere on the stack (inclusive)", inclusive, args.inclusive)
    show("Library methods anywhere on the stack (inclusive)", inclusive_lib, args.inclusive)
