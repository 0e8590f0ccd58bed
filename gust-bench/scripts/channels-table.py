#!/usr/bin/env python3
"""Markdown table for docs/bench-channels.md from a JMH JSON file of bench-channels.sh:
median (best) ns per message per implementation, M msgs/s, and ratios vs jox and the best JDK queue."""
import json
import statistics
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "/tmp/bench-channels/main.json"
rows = {}
for r in json.load(open(path)):
    bench = r["benchmark"].split(".")[-1]
    impl = (r.get("params") or {}).get("impl")
    if impl is None:  # SelectBench: gustRendezvous -> (selectRendezvous, gust)
        impl = "gust" if bench.startswith("gust") else "jox"
        bench = "select" + bench[len(impl):]
    raw = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
    rows.setdefault(bench, {})[impl] = (statistics.median(raw), min(raw))

labels = {
    "rendezvous": "rendezvous, 1 producer -> 1 consumer",
    "pingPong": "rendezvous ping-pong (per one-way message)",
    "buffered1p1c": "buffered cap 16, 1P/1C",
    "buffered4p4c": "buffered cap 16, 4P/4C",
    "selectRendezvous": "select over 2 rendezvous channels",
    "selectBufferedReady": "select over 2 buffered, ready (+1 send)",
}
jdk = ["sq", "abq", "ltq"]
print("| benchmark | Gust | jox | SynchronousQueue | ArrayBlockingQueue | LinkedTransferQueue | Gust M msg/s | Gust vs jox | Gust vs best JDK |")
print("|---|---|---|---|---|---|---|---|---|")
for bench, label in labels.items():
    d = rows.get(bench, {})
    cell = lambda i: f"{d[i][0]:.0f} ({d[i][1]:.0f})" if i in d else "-"
    g = d.get("gust")
    vs_jox = f"{d['jox'][0] / g[0]:.2f}x" if g and "jox" in d else "-"
    best = min((d[i][0], i) for i in jdk if i in d) if any(i in d for i in jdk) else None
    vs_jdk = f"{best[0] / g[0]:.2f}x ({best[1]})" if g and best else "-"
    print(f"| {label} | {cell('gust')} | {cell('jox')} | {cell('sq')} | {cell('abq')} | {cell('ltq')} | "
          f"{1000 / g[0]:.1f} | {vs_jox} | {vs_jdk} |")
