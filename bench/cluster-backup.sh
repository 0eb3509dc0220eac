#!/usr/bin/env bash
# Backup of one collection of a 3-node cluster (bench/ClusterStandIn.java: 6 shards, replication 2, each shard
# snapshot padded to PAD_MB MiB and taking SNAP_MS ms to build) with the nodes in parallel
# (backup.cluster.parallel=3) against one node after another (=1), same data, alternately, RUNS times each.
# Everything listens on loopback (127.0.0.1-3); all files go to a temp folder deleted at the end.
#
# Environment: RUNS=3 PAD_MB=32 SNAP_MS=500 SHARDS=6 SKIP_BUILD=1 (use target/ as it is)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-3}
say() { printf '%s\n' "$*" >&2; }
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f target/qdrant-backup.jar ]; then
  say "building target/qdrant-backup.jar and the test classes ..."
  mvn -q -B -o package -DskipTests >&2
  mvn -q -B -o test-compile >&2
fi
W=$(mktemp -d "${BENCH_TMP:-/tmp}/qdrant-backup-cluster-bench.XXXXXX")
PID=
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$W"
}
trap cleanup EXIT
mvn -q -B -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$W/cp.txt" >&2
CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$W/cp.txt")"
java -Xmx1g -cp "$CP" bench/ClusterStandIn.java "$W/url" >"$W/standin.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do [ -s "$W/url" ] && break; sleep 0.1; done
[ -s "$W/url" ] || { say "stand-in did not start"; cat "$W/standin.log" >&2; exit 1; }
URL=$(cat "$W/url")

one() { # $1 = backup.cluster.parallel; prints the backup's own seconds (its line in backup-now's output)
  local d="$W/run-$1-$2"
  mkdir -p "$d"
  local t0 t1
  t0=$(date +%s.%N)
  (cd "$d" && QDRANT_URL="$URL" ARCHIVE_DIR="$d/archive" STATE_DIR="$d/state" BACKUP_CLUSTER_PARALLEL="$1" \
      OFFSITE_BUCKET= java -Xmx128m -XX:+UseSerialGC -jar "$ROOT/target/qdrant-backup.jar" backup-now bench \
      --config "$ROOT/application.properties" --routes "$ROOT/routes" >"$d/out.txt" 2>"$d/err.txt") \
      || { say "backup failed:"; cat "$d/out.txt" "$d/err.txt" >&2; exit 1; }
  t1=$(date +%s.%N)
  grep -E '^bench ' "$d/out.txt" >&2 || true
  awk -v a="$t0" -v b="$t1" 'BEGIN{printf "  (parallel='"$1"', process wall time with JVM start: %.2fs)\n", b-a}' >&2
  sed -nE 's/^bench .* in ([0-9.]+)s$/\1/p' "$d/out.txt"
  rm -rf "$d"
}
say "3 nodes, ${SHARDS:-6} shards x ${PAD_MB:-32} MiB, replication 2, ${SNAP_MS:-500} ms per snapshot build, $RUNS runs each"
say "warm-up run (not counted): the stand-in's first snapshots are slow"
one 3 0 >/dev/null
P=(); S=()
for r in $(seq 1 "$RUNS"); do
  P+=("$(one 3 "$r")")
  S+=("$(one 1 "$r")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
printf '%-36s %s\n' "mode" "backup seconds (median; all runs)"
printf '%-36s %s; %s\n' "nodes in parallel (parallel=3)" "$(median "${P[@]}")" "${P[*]}"
printf '%-36s %s; %s\n' "one node after another (parallel=1)" "$(median "${S[@]}")" "${S[*]}"
