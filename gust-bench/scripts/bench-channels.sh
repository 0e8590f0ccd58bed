#!/usr/bin/env bash
# Runs every channel benchmark of docs/bench-channels.md and writes raw logs to $OUT (default /tmp/bench-channels).
# Usage: gust-bench/scripts/bench-channels.sh   (from the repository root; JDK 25 on PATH)
# On a shared, overloaded machine: NICE="nice -n -5" gust-bench/scripts/bench-channels.sh (root only)
# gives the benchmark JVMs (all peers alike) a larger CPU share than the neighbours' builds.
set -euo pipefail
OUT=${OUT:-/tmp/bench-channels}
mkdir -p "$OUT"
mvn -B -q -pl gust-bench -am package -DskipTests
CP="gust-bench/target/classes:gust-bench/target/lib/*"
NICE=${NICE:-}
JMH="$NICE java -Djmh.ignoreLock=true -cp $CP org.openjdk.jmh.Main"
SHORT="-f 1 -wi 3 -w 1s -i 5 -r 1s"
# On a loaded machine, many short iterations: the best one estimates the unloaded cost.
MANY="-f 1 -wi 3 -w 1s -i 20 -r 200ms"
{ date -u; echo "NICE=$NICE"; nproc; lscpu | head -20; java -version 2>&1; uptime; } > "$OUT/machine.txt"
# 1. everything, all peers, default settings
$JMH 'dev.gust.bench.channels.(ChannelBench|SelectBench)' $SHORT -rf json -rff "$OUT/main.json" > "$OUT/main.txt" 2>&1
# 1b. the same with many short iterations (docs report median and best iteration)
$JMH 'dev.gust.bench.channels.(ChannelBench|SelectBench)' $MANY -rf json -rff "$OUT/many.json" > "$OUT/many.txt" 2>&1
# 2. jox with its rendezvous spinning disabled (jox spins only when availableProcessors > 1)
NOSPIN='-XX:ActiveProcessorCount=1 -Djdk.virtualThreadScheduler.parallelism=2'
$JMH 'dev.gust.bench.channels.(ChannelBench|SelectBench.jox)' -p impl=jox $MANY -jvmArgsAppend "$NOSPIN" -rf json -rff "$OUT/jox-nospin.json" > "$OUT/jox-nospin.txt" 2>&1
# 3. Gust with adaptive spinning enabled for virtual threads too (opt-in; default: they park at once)
$JMH 'dev.gust.bench.channels.(ChannelBench|SelectBench.gust)' -p impl=gust $MANY -jvmArgsAppend "-Dgust.channels.spin=rendezvous" -rf json -rff "$OUT/gust-spin.json" > "$OUT/gust-spin.txt" 2>&1
# 4. allocation on the Gust hot paths
$JMH 'dev.gust.bench.channels.(ChannelBench|SelectBench.gust)' -p impl=gust $SHORT -prof gc > "$OUT/gust-gc.txt" 2>&1
# 5. 1 ms timeout accuracy and memory per parked routine
$NICE java -cp "$CP" dev.gust.bench.channels.TimeoutAccuracy > "$OUT/timeout.txt" 2>&1
$NICE java -Xmx2g -cp "$CP" dev.gust.bench.channels.ParkedRoutineMemory 100000 > "$OUT/memory.txt" 2>&1
uptime >> "$OUT/machine.txt"
echo "done: $OUT"
