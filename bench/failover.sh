#!/usr/bin/env bash
# Failover on the file cluster service: two instances of the built tool (separate JVMs, a shared lock folder and
# archive) against the stand-in Qdrant with a backup every second. Kills the leader with kill -9 KILLS times
# (restarting it, so that two run again), and prints for each kill the time until the other instance logged
# that it leads, then the median and the worst; at the end the fires taken against the snapshots created, and
# the fires taken twice (duplicates).
# Usage: bench/failover.sh            KILLS=10 CHECK_INTERVAL=5s SKIP_BUILD=1 (use target/qdrant-backup.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
KILLS=${KILLS:-10}
CHECK_INTERVAL=${CHECK_INTERVAL:-5s}
JVM_FLAGS=${JVM_FLAGS:--XX:SharedArchiveFile=target/qdrant-backup.jsa -Xmx128m -XX:+UseSerialGC}
say() { echo "$*" >&2; }

if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f target/qdrant-backup.jar ]; then
  say "building target/qdrant-backup.jar ..."
  mvn -q -B package -DskipTests >&2
fi
W=$(mktemp -d "${BENCH_TMP:-/tmp}/failover.XXXXXX")
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; [ "${KEEP:-0}" = 1 ] && say "kept $W" || rm -rf "$W"; }
trap cleanup EXIT INT TERM

java "$ROOT/bench/StandInQdrant.java" "$W/qdrant.port" --small 1 > "$W/standin.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 300); do [ -s "$W/qdrant.port" ] && break; sleep 0.1; done
QPORT=$(cat "$W/qdrant.port")

settings() { # $1 = member id
  local port; port=$(java "$ROOT/bench/FreePort.java")
  { cat "$ROOT/application.properties"; echo
    echo "qdrant.url=http://127.0.0.1:$QPORT"
    echo "qdrant.retries=0"
    echo "archive.dir=$W/archive"
    echo "state.dir=$W/state-$1"
    echo "backup.schedule.enabled=true"
    echo "backup.schedule.cron=* * * * * ?"
    echo "retention.schedule.enabled=false"
    echo "restore.inbox.enabled=false"
    echo "routes.reload=false"
    echo "ha.cluster=file"
    echo "ha.file.root=$W/ha"
    echo "ha.check-interval=$CHECK_INTERVAL"
    echo "ha.member-id=$1"
    echo "camel.management.port=$port"
  } > "$W/$1.properties"
}
declare -A PID STARTS LOG
start() { # $1 = member id; each start logs to its own file
  STARTS[$1]=$(( ${STARTS[$1]:-0} + 1 ))
  local log="$W/$1.${STARTS[$1]}.log"
  # shellcheck disable=SC2086
  java $JVM_FLAGS -jar "$ROOT/target/qdrant-backup.jar" run --config "$W/$1.properties" --routes "$ROOT/routes" \
    > "$log" 2>&1 &
  PID[$1]=$!
  PIDS+=($!)
  LOG[$1]=$log
}
until_line() { # $1 = file, $2 = pattern, $3 = timeout s; waits until the file has the pattern
  local end=$(( $(date +%s) + $3 ))
  until grep -q "$2" "$1" 2>/dev/null; do
    [ "$(date +%s)" -lt "$end" ] || { say "timed out waiting for '$2' in $1"; return 1; }
    sleep 0.05
  done
}
stamp() { # the log line's time of day (HH:MM:SS.mmm)
  grep -o -m1 '[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9][0-9][0-9]' | head -1
}
ms_of_day() { # HH:MM:SS.mmm -> milliseconds since midnight
  awk -F'[:.]' '{ printf "%d\n", (($1 * 60 + $2) * 60 + $3) * 1000 + $4 }' <<< "$1"
}

mkdir -p "$W/ha"
settings a; settings b
start a; until_line "${LOG[a]}" "member a now leads" 120
start b; until_line "${LOG[b]}" "member b follows" 120
LEADER=a
say "machine: $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); ha.check-interval=$CHECK_INTERVAL; kills: $KILLS"
TIMES=()
for i in $(seq 1 "$KILLS"); do
  OTHER=$([ "$LEADER" = a ] && echo b || echo a)
  # let the leader take two fires, then kill it between (or during) runs
  n=$(grep -c "backup run started (schedule)" "${LOG[$LEADER]}" || true)
  until [ "$(grep -c "backup run started (schedule)" "${LOG[$LEADER]}" || true)" -ge $(( n + 2 )) ]; do sleep 0.05; done
  kill -9 "${PID[$LEADER]}"
  killed=$(date +%H:%M:%S.%3N)
  until_line "${LOG[$OTHER]}" "member $OTHER now leads" 120
  took=$(grep -m1 "member $OTHER now leads" "${LOG[$OTHER]}" | stamp)
  ms=$(( $(ms_of_day "$took") - $(ms_of_day "$killed") ))
  TIMES+=("$ms")
  printf 'kill %2d: %s killed at %s, %s leads at %s: %d ms\n' "$i" "$LEADER" "$killed" "$OTHER" "$took" "$ms"
  start "$LEADER"; until_line "${LOG[$LEADER]}" "member $LEADER follows" 120
  LEADER=$OTHER
done
sleep 3
for m in a b; do kill "${PID[$m]}" 2>/dev/null || true; done
for m in a b; do wait "${PID[$m]}" 2>/dev/null || true; done

sorted=$(printf '%s\n' "${TIMES[@]}" | sort -n)
median=$(awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }' <<< "$sorted")
worst=$(tail -1 <<< "$sorted")
echo "takeover after kill -9 (ms): median $median, worst $worst, of ${#TIMES[@]} kills"
# fires taken: every run start across all instances' logs, by time; a duplicate is a start by each instance
# within 500 ms (the same fire); "seconds without a run" counts the fires nobody ran (no leader then)
for f in "$W"/a.*.log "$W"/b.*.log; do
  m=$(basename "$f" | cut -d. -f1)
  { grep "backup run started (schedule)" "$f" || true; } | awk -v m="$m" '{ for (i = 1; i <= NF; i++)
    if ($i ~ /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9][0-9][0-9]$/) {
      split($i, a, /[:.]/); printf "%d %s\n", ((a[1] * 60 + a[2]) * 60 + a[3]) * 1000 + a[4], m; break } }' 
done | sort -n > "$W/starts.txt"
fires=$(wc -l < "$W/starts.txt")
created=$(grep -c "^created " "$W/standin.log" || true)
dups=$(awk 'NR > 1 && $1 - t < 500 && $2 != m { d++ } { t = $1; m = $2 } END { print d + 0 }' "$W/starts.txt")
gaps=$(awk 'NR == 1 { first = int($1 / 1000) } { s[int($1 / 1000)] = 1; last = int($1 / 1000) }
  END { for (x = first; x <= last; x++) if (!(x in s)) g++; print g + 0, last - first + 1 }' "$W/starts.txt")
echo "fires taken: $fires, snapshots created: $created, fires taken twice: $dups"
echo "seconds without a run (fires during failover, not run): ${gaps% *} of ${gaps#* } seconds"
