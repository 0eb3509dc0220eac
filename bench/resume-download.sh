#!/usr/bin/env bash
# What resuming saves: qdrant-backup backup-now of one random snapshot whose first download the stand-in Qdrant
# (bench/StandInQdrant.java) cuts at a fraction CUT of its bytes. "resumed": the stand-in answers Range as
# actix-files does (206), the tool's retry asks for the rest; "restarted": the stand-in ignores Range (200, as
# Qdrant on S3 storage does), the retry downloads it all again; "uninterrupted": no cut, for reference.
# With CRASH=1, two rows more: backup-now is killed with -9 once its part file holds CUT of the snapshot, and
# a second backup-now is timed: "resumed after kill -9" reuses the snapshot and asks for the rest,
# "restarted after kill -9" has backup.resume-max-age=0s and downloads it all again.
# Everything on 127.0.0.1, in a temp folder deleted at the end; no bucket (the download alone is timed).
#
# Usage: bench/resume-download.sh [SIZE]     size for head -c (default 1G)
# Environment: RUNS=3 (repetitions, alternating the rows), CUT=0.5 (where the first download is cut),
#   JVM_FLAGS=... (default as backup-throughput.sh), BENCH_TMP=/tmp, SKIP_BUILD=1 (use target/qdrant-backup.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SIZE=${1:-1G}
RUNS=${RUNS:-3}
CUT=${CUT:-0.5}
JVM_FLAGS=${JVM_FLAGS:--XX:SharedArchiveFile=$ROOT/target/qdrant-backup.jsa -Xmx128m -XX:+UseSerialGC}
say() { printf '%s\n' "$*" >&2; }
for t in curl java mvn awk; do command -v $t >/dev/null || { say "missing: $t"; exit 2; }; done

if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f target/qdrant-backup.jar ]; then
  say "building target/qdrant-backup.jar ..."
  mvn -q -B package -DskipTests >&2
fi
W=$(mktemp -d "${BENCH_TMP:-/tmp}/qdrant-backup-resume.XXXXXX")
PID=
stop_standin() { if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=; fi; }
trap 'stop_standin; rm -rf "$W"' EXIT
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

say "generating a random $SIZE snapshot ..."
mkdir -p "$W/gen"
printf '{"params":{"vectors":{"size":4,"distance":"Cosine"}}}' > "$W/gen/config.json"
head -c "$SIZE" /dev/urandom > "$W/gen/segment.bin"
tar -C "$W/gen" -cf "$W/bench.snapshot" config.json segment.bin
rm -rf "$W/gen"
BYTES=$(stat -c %s "$W/bench.snapshot")

start_standin() { # extra stand-in flags
  rm -f "$W/qdrant.port"
  java "$ROOT/bench/StandInQdrant.java" "$W/qdrant.port" "bench=$W/bench.snapshot" "$@" > "$W/standin.log" 2>&1 &
  PID=$!
  local i
  for i in $(seq 1 600); do [ -s "$W/qdrant.port" ] && break; sleep 0.2; done
  [ -s "$W/qdrant.port" ] || { say "stand-in Qdrant did not start"; cat "$W/standin.log" >&2; exit 1; }
  Q=http://127.0.0.1:$(cat "$W/qdrant.port")
  for i in $(seq 1 300); do curl -s -o /dev/null "$Q/" && return 0; sleep 0.2; done
  say "stand-in Qdrant did not answer"; exit 1
}

RESULTS=$W/results.tsv
: > "$RESULTS"
settings() { # folder, extra lines ...
  local d=$1; shift
  {
    cat "$ROOT/application.properties"
    echo
    echo "# --- the bench's own (a later line wins)"
    echo "qdrant.url=$Q"
    echo "qdrant.retries=1"
    echo "qdrant.retry-delay=100ms"
    echo "archive.dir=$d/archive"
    echo "state.dir=$d/state"
    echo "offsite.bucket="
    echo "backup.include=bench"
    local line; for line in "$@"; do echo "$line"; done
  } > "$d/app.properties"
}

one() { # row, stand-in flags ...
  local row=$1 d=$W/tool code=0 t0 t1 sent; shift
  start_standin "$@"
  rm -rf "$d"; mkdir -p "$d"
  settings "$d"
  t0=$(now)
  java $JVM_FLAGS -jar "$ROOT/target/qdrant-backup.jar" backup-now bench --config "$d/app.properties" \
    --routes "$ROOT/routes" > "$d/out.log" 2>&1 || code=$?
  t1=$(now)
  stop_standin
  if [ $code != 0 ]; then say "backup-now failed (exit $code); its log:"; tail -30 "$d/out.log" >&2; exit 1; fi
  sent=$(awk '/^GET .*: sent [0-9]+ bytes/ { for (i = 1; i <= NF; i++) if ($i == "sent") s += $(i + 1) } END { print s + 0 }' "$W/standin.log")
  printf '%s\t%s\t%s\n' "$row" "$(elapsed "$t0" "$t1")" "$sent" >> "$RESULTS"
  grep -hE 'resumed at|ignored the Range|was cut off' "$d/out.log" | cut -c1-220 >&2 || true
  grep -h '^GET ' "$W/standin.log" >&2 || true
}

crash_one() { # row, backup.resume-max-age
  local row=$1 d=$W/tool code=0 t0 t1 sent pid want lines have
  start_standin
  rm -rf "$d"; mkdir -p "$d"
  settings "$d" "backup.resume-max-age=$2"
  want=$(awk -v b="$BYTES" -v c="$CUT" 'BEGIN { printf "%d", b * c }')
  java $JVM_FLAGS -jar "$ROOT/target/qdrant-backup.jar" backup-now bench --config "$d/app.properties" \
    --routes "$ROOT/routes" > "$d/first.log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    have=$(find "$d/archive" -name '*.part' -printf '%s\n' 2>/dev/null | head -1 || true)
    [ -n "$have" ] && [ "$have" -ge "$want" ] && break
    sleep 0.02
  done
  kill -9 "$pid" 2>/dev/null || { say "backup-now ended before the kill"; exit 1; }
  wait "$pid" 2>/dev/null || true
  lines=$(wc -l < "$W/standin.log")
  t0=$(now)
  java $JVM_FLAGS -jar "$ROOT/target/qdrant-backup.jar" backup-now bench --config "$d/app.properties" \
    --routes "$ROOT/routes" > "$d/out.log" 2>&1 || code=$?
  t1=$(now)
  stop_standin
  if [ $code != 0 ]; then say "backup-now after the kill failed (exit $code); its log:"; tail -30 "$d/out.log" >&2; exit 1; fi
  sent=$(tail -n +"$((lines + 1))" "$W/standin.log" | awk '/^GET .*: sent [0-9]+ bytes/ { for (i = 1; i <= NF; i++) if ($i == "sent") s += $(i + 1) } END { print s + 0 }')
  printf '%s\t%s\t%s\n' "$row" "$(elapsed "$t0" "$t1")" "$sent" >> "$RESULTS"
  grep -hE 'kept snapshot|resumed at|left there by an interrupted' "$d/out.log" | cut -c1-260 >&2 || true
}

for r in $(seq 1 "$RUNS"); do
  say "[run $r/$RUNS] cut at $CUT, resumed with Range"
  one "cut at $CUT, resumed (206)" --cut-first "$CUT"
  say "[run $r/$RUNS] cut at $CUT, restarted from zero (server ignores Range)"
  one "cut at $CUT, restarted (200)" --cut-first "$CUT" --no-range
  say "[run $r/$RUNS] uninterrupted"
  one "uninterrupted"
  if [ "${CRASH:-0}" = 1 ]; then
    say "[run $r/$RUNS] killed at $CUT, the next backup-now resumes"
    crash_one "resumed after kill -9 at $CUT" 6h
    say "[run $r/$RUNS] killed at $CUT, the next backup-now starts over (backup.resume-max-age=0s)"
    crash_one "restarted after kill -9 at $CUT" 0s
  fi
done

say ""
echo "snapshot: $BYTES bytes ($SIZE); machine: $(nproc) cores; disk $(df -h "$W" | awk 'NR==2 { print $1 }'); java: $(java -version 2>&1 | head -1)"
echo "backup-now wall time (JVM start to exit, retries=1, retry delay 100ms), runs: $RUNS"
awk -F'\t' -v total="$BYTES" '
  { k = $1; if (!(k in n)) order[++rows] = k; n[k]++; v[k, n[k]] = $2; sent[k] = $3 }
  END {
    printf "| %-32s | %-9s | %-17s | %-26s |\n", "row", "median", "min - max", "bytes served (x snapshot)"
    printf "|%s|%s|%s|%s|\n", "----------------------------------", "-----------", "-------------------", "----------------------------"
    for (r = 1; r <= rows; r++) {
      k = order[r]; c = n[k]
      for (i = 1; i <= c; i++) a[i] = v[k, i] + 0
      for (i = 2; i <= c; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      med[k] = c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
      printf "| %-32s | %-9s | %-17s | %-26s |\n", k, sprintf("%.3f s", med[k]), sprintf("%.3f - %.3f", a[1], a[c]),
        sprintf("%d (%.2f)", sent[k], sent[k] / total)
    }
    for (r = 1; r <= rows; r++) {
      k = order[r]
      if (k ~ /resumed \(/) res = k; if (k ~ /restarted \(/) rst = k
      if (k ~ /resumed after/) cres = k; if (k ~ /restarted after/) crst = k
    }
    if (res != "" && rst != "") printf "resuming saved %.3f s of %.3f s (medians)\n", med[rst] - med[res], med[rst]
    if (cres != "" && crst != "") printf "after kill -9, resuming saved %.3f s of %.3f s (medians, second backup-now)\n", med[crst] - med[cres], med[crst]
  }' "$RESULTS"
