#!/usr/bin/env bash
# Runs the peer load matrix (dev.gust.bench.load.Matrix): servers pinned to CPU 0, load to CPU 1.
# Called by `./gust bench-load [options]` after the build; `--help` lists the options.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if ! command -v wrk >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "bench-load: installing wrk (apt-get) ..." >&2
    (apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq wrk >/dev/null 2>&1; }) \
      || echo "bench-load: could not install wrk; the http rows will fail" >&2
  else
    echo "bench-load: wrk is not installed (apt-get install wrk); the http rows will fail" >&2
  fi
fi

PIN=()
if command -v taskset >/dev/null 2>&1 && [[ $(nproc --all) -ge 2 ]]; then PIN=(taskset -c 1); fi
# 15,000 idle connections need that many descriptors in this process and in the server
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

CP="$ROOT/gust-bench/target/classes:$ROOT/gust-bench/target/lib/*"
# shellcheck disable=SC2086
exec "${PIN[@]}" "$JAVA" -Xmx1g --enable-native-access=ALL-UNNAMED ${GUST_JAVA_OPTS:-} -cp "$CP" dev.gust.bench.load.Matrix "$@"
