#!/usr/bin/env bash
# Restore speed: a snapshot restored through the inbox (drop -> inbox/done/, the daemon running) beside
# `curl -F snapshot=@file` of the same file to the same stand-in Qdrant (bench/StandInQdrant.java), both with
# Qdrant's checksum parameter (the stand-in hashes the upload and refuses a mismatch, as Qdrant does).
# Everything on 127.0.0.1, in a temp folder deleted at the end; no bucket.
#
# Usage: bench/restore-speed.sh [SIZE]     size for head -c (default 1G)
# Environment: RUNS=3 (repetitions, alternating the rows), JVM_FLAGS=... (default as backup-throughput.sh),
#   BENCH_TMP=/tmp, SKIP_BUILD=1 (use target/qdrant-backup.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SIZE=${1:-1G}
RUNS=${RUNS:-3}
JVM_FLAGS=${JVM_FLAGS:--XX:SharedArchiveFile=$ROOT/target/qdrant-backup.jsa -Xmx128m -XX:+UseSerialGC}
say() { printf '%s\n' "$*" >&2; }
for t in curl java mvn awk sha256sum; do command -v $t >/dev/null || { say "missing: $t"; exit 2; }; done

if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f target/qdrant-backup.jar ]; then
  say "building target/qdrant-backup.jar ..."
  mvn -q -B package -DskipTests >&2
fi
W=$(mktemp -d "${BENCH_TMP:-/tmp}/qdrant-backup-restore.XXXXXX")
PID=
DPID=
stop() { # the daemon, then the stand-in
  if [ -n "$DPID" ]; then kill "$DPID" 2>/dev/null || true; wait "$DPID" 2>/dev/null || true; DPID=; fi
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=; fi
}
trap 'stop; rm -rf "$W"' EXIT
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

say "generating a random $SIZE snapshot ..."
mkdir -p "$W/gen"
printf '{"params":{"vectors":{"size":4,"distance":"Cosine"}}}' > "$W/gen/config.json"
head -c "$SIZE" /dev/urandom > "$W/gen/segment.bin"
tar -C "$W/gen" -cf "$W/bench.snapshot" config.json segment.bin
rm -rf "$W/gen"
sync   # a backup is on disk long before it is restored: no dirty pages for either row to wait for
BYTES=$(stat -c %s "$W/bench.snapshot")
SHA=$(sha256sum "$W/bench.snapshot" | cut -d' ' -f1)

rm -f "$W/qdrant.port"
java "$ROOT/bench/StandInQdrant.java" "$W/qdrant.port" > "$W/standin.log" 2>&1 &
PID=$!
for i in $(seq 1 600); do [ -s "$W/qdrant.port" ] && break; sleep 0.2; done
[ -s "$W/qdrant.port" ] || { say "stand-in Qdrant did not start"; cat "$W/standin.log" >&2; exit 1; }
Q=http://127.0.0.1:$(cat "$W/qdrant.port")
for i in $(seq 1 300); do curl -s -o /dev/null "$Q/" && break; sleep 0.2; done

RESULTS=$W/results.tsv
: > "$RESULTS"
curl_row() { # run
  local t0 t1
  t0=$(now)
  curl -sf -o /dev/null -F "snapshot=@$W/bench.snapshot" \
    "$Q/collections/curl-$1/snapshots/upload?priority=snapshot&wait=true&checksum=$SHA"
  t1=$(now)
  printf 'curl -F (checksum)\t%s\n' "$(elapsed "$t0" "$t1")" >> "$RESULTS"
}

# The daemon running with the inbox; snapshot + manifest moved in (a hard link, no copy, already older than
# the inbox's min-age), timed until the snapshot is in inbox/done/.
inbox_row() { # run
  local d=$W/tool-$1 target=restored-$1 t0 t1 i
  mkdir -p "$d/inbox" "$d/drop"
  {
    cat "$ROOT/application.properties"
    echo
    echo "# --- the bench's own (a later line wins)"
    echo "qdrant.url=$Q"
    echo "qdrant.retries=0"
    echo "archive.dir=$d/archive"
    echo "state.dir=$d/state"
    echo "offsite.bucket="
    echo "restore.inbox.enabled=true"
    echo "restore.inbox.dir=$d/inbox"
    echo "restore.inbox.min-age=1s"
    echo "restore.inbox.poll=200ms"
    echo "restore.health-poll=100ms"
    echo "backup.schedule.enabled=false"
    echo "retention.schedule.enabled=false"
    echo "camel.management.enabled=false"
  } > "$d/app.properties"
  printf '{"collection":"%s","snapshot":"%s","kind":"collection","size":%s,"sha256":"%s","created":"%s"}\n' \
    "$target" "$target.snapshot" "$BYTES" "$SHA" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$d/drop/$target.snapshot.json"
  ln "$W/bench.snapshot" "$d/drop/$target.snapshot"
  touch -d '1 minute ago' "$d/drop/$target.snapshot.json"
  java $JVM_FLAGS -jar "$ROOT/target/qdrant-backup.jar" run --config "$d/app.properties" --routes "$ROOT/routes" \
    > "$d/out.log" 2>&1 &
  DPID=$!
  for i in $(seq 1 300); do grep -q '(qdrant-backup) started in' "$d/out.log" && break; sleep 0.2; done
  t0=$(now)
  mv "$d/drop/$target.snapshot.json" "$d/inbox/"
  mv "$d/drop/$target.snapshot" "$d/inbox/"
  for i in $(seq 1 12000); do   # bounded: 20 minutes
    [ -e "$d/inbox/done/$target.snapshot" ] && break
    [ -n "$(ls "$d/inbox/failed" 2>/dev/null)" ] && break
    kill -0 "$DPID" 2>/dev/null || break
    sleep 0.1
  done
  t1=$(now)
  kill "$DPID" 2>/dev/null || true
  wait "$DPID" 2>/dev/null || true
  DPID=
  if [ ! -e "$d/inbox/done/$target.snapshot" ]; then
    say "restore through the inbox did not finish; its log:"; tail -30 "$d/out.log" >&2; exit 1
  fi
  printf 'qdrant-backup inbox (drop -> done/)\t%s\n' "$(elapsed "$t0" "$t1")" >> "$RESULTS"
  grep -hE 'restore: picked up|upload .* into|restore (succeeded|ok|restored)' "$d/out.log" | cut -c1-220 >&2 || true
  rm -rf "$d"
}

for r in $(seq 1 "$RUNS"); do
  say "[run $r/$RUNS] curl -F"
  curl_row "$r"
  say "[run $r/$RUNS] qdrant-backup inbox"
  inbox_row "$r"
done
grep -h '^POST upload' "$W/standin.log" >&2 || true

say ""
echo "snapshot: $BYTES bytes ($SIZE); machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); disk $(df -h "$W" | awk 'NR==2 { print $1 }'); java: $(java -version 2>&1 | head -1)"
echo "runs: $RUNS, alternating; file in the page cache (generated and synced just before)"
awk -F'\t' -v total="$BYTES" '
  { k = $1; if (!(k in n)) order[++rows] = k; n[k]++; v[k, n[k]] = $2 }
  END {
    printf "| %-36s | %-9s | %-17s | %-10s |\n", "row", "median", "min - max", "MB/s"
    printf "|%s|%s|%s|%s|\n", "--------------------------------------", "-----------", "-------------------", "------------"
    for (r = 1; r <= rows; r++) {
      k = order[r]; c = n[k]
      for (i = 1; i <= c; i++) a[i] = v[k, i] + 0
      for (i = 2; i <= c; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      med[k] = c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
      printf "| %-36s | %-9s | %-17s | %-10s |\n", k, sprintf("%.3f s", med[k]), sprintf("%.3f - %.3f", a[1], a[c]),
        sprintf("%.0f", total / 1e6 / med[k])
    }
    printf "ratio inbox / curl -F (medians): %.2f\n", med["qdrant-backup inbox (drop -> done/)"] / med["curl -F (checksum)"]
  }' "$RESULTS"
