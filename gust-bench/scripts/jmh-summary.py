#!/usr/bin/env python3
"""Summarise JMH JSON results: per benchmark and params, the median, best and mean of the
measurement iterations (medians resist the noise of a shared machine better than means)."""
import json
import statistics
import sys

for path in sys.argv[1:]:
    for r in json.load(open(path)):
        name = r["benchmark"].split(".")[-2] + "." + r["benchmark"].split(".")[-1]
        params = ",".join(f"{k}={v}" for k, v in (r.get("params") or {}).items())
        raw = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
        unit = r["primaryMetric"]["scoreUnit"]
        print(f"{name:32s} {params:12s} median={statistics.median(raw):9.1f} best={min(raw):9.1f} "
              f"mean={statistics.mean(raw):9.1f} {unit}  n={len(raw)}")
        for sec, m in (r.get("secondaryMetrics") or {}).items():
            if sec.endswith("gc.alloc.rate.norm"):
                print(f"{'':32s} {'':12s} alloc={m['score']:.1f} B/op")
