#!/usr/bin/env bash
# Backup/restore throughput of qdrant-backup beside the shell recipe (curl + aws s3 cp), on multi-GB random
# snapshots served by a stand-in Qdrant (bench/StandInQdrant.java) into S3Proxy's filesystem back end running as
# its own process. Everything listens on 127.0.0.1 only; all data goes to a temp folder that is deleted at the end.
#
# Usage: bench/backup-throughput.sh [SIZE ...]        sizes for head -c (default: 1G 4G)
# Environment:
#   RUNS=3            repetitions of each measurement (median and min-max are printed)
#   SMALL=200         small collections for the many-collections rows (0 skips them)
#   SMALL_RUNS=$RUNS  repetitions of each many-collections row
#   JVM_FLAGS=...     flags for every qdrant-backup run (default: the README's, with the build's class-data archive)
#   BENCH_TMP=/tmp    where the temp folder goes (needs about 3x the largest size free)
#   SKIP_BUILD=1      use target/qdrant-backup.jar as it is
#   ROWS=startup,limit,recipe,backup,upload,restore,small   which groups of rows to run (default: all);
#                     backup and upload run alternately (A B A B), their ratio is printed pair by pair
#   STARTUP_RUNS=5    repetitions of each start-up row
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-3}
SMALL=${SMALL:-200}
SMALL_RUNS=${SMALL_RUNS:-$RUNS}
JVM_FLAGS=${JVM_FLAGS:--XX:SharedArchiveFile=$ROOT/target/qdrant-backup.jsa -Xmx128m -XX:+UseSerialGC}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1G 4G)

say() { printf '%s\n' "$*" >&2; }
ROWS=${ROWS:-startup,limit,recipe,backup,upload,restore,small}
STARTUP_RUNS=${STARTUP_RUNS:-5}
want() { [[ ",$ROWS," == *",$1,"* ]]; }

# ---------------------------------------------------------------- tools
if [ -x /usr/bin/time ] && /usr/bin/time -v true 2>/dev/null; then
  HAVE_GNU_TIME=1
else
  HAVE_GNU_TIME=0
  say "note: GNU time not found (apt-get install time): peak RSS is read by polling /proc/PID/status VmHWM;"
  say "      the CPU-per-GiB rows are skipped"
fi
HAVE_AWS=0
if command -v aws >/dev/null 2>&1; then HAVE_AWS=1; fi
for t in curl java mvn awk; do command -v $t >/dev/null || { say "missing: $t"; exit 2; }; done

# ---------------------------------------------------------------- build
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f target/qdrant-backup.jar ]; then
  say "building target/qdrant-backup.jar ..."
  mvn -q -B package -DskipTests >&2
fi
W=$(mktemp -d "${BENCH_TMP:-/tmp}/qdrant-backup-bench.XXXXXX")
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$W"
}
trap cleanup EXIT
mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$W/cp.txt" >&2

free_port() { # asks the kernel for a free loopback port (S3Proxy's Main needs a fixed one)
  java "$ROOT/bench/FreePort.java"
}
wait_http() { # url, what: bounded wait (60 s) for a server to answer
  local i
  for i in $(seq 1 300); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.2
  done
  say "$2 did not come up"; exit 1
}

# ---------------------------------------------------------------- data
say "generating random snapshots: ${SIZES[*]} ..."
COLLS=()
declare -A BYTES
for s in "${SIZES[@]}"; do
  # snapshot-like: a tar with config.json and one entry of random bytes (nothing compresses; restores check tars)
  mkdir -p "$W/gen"
  printf '{"params":{"vectors":{"size":4,"distance":"Cosine"}}}' > "$W/gen/config.json"
  head -c "$s" /dev/urandom > "$W/gen/segment.bin"
  tar -C "$W/gen" -cf "$W/bench-$s.snapshot" config.json segment.bin
  rm -rf "$W/gen"
  BYTES[$s]=$(stat -c %s "$W/bench-$s.snapshot")
  COLLS+=("bench-$s=$W/bench-$s.snapshot")
done

# ---------------------------------------------------------------- servers
mkdir -p "$W/s3/bench"      # filesystem back end: a folder is a bucket
S3_PORT=$(free_port)
cat > "$W/s3proxy.conf" <<EOF
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench-access
s3proxy.credential=bench-secret
jclouds.provider=filesystem-nio2
jclouds.identity=bench-access
jclouds.credential=bench-secret
jclouds.filesystem.basedir=$W/s3
EOF
java -Dlogback.configurationFile="$ROOT/bench/s3proxy-logback.xml" -cp "$(cat "$W/cp.txt")" \
  org.gaul.s3proxy.Main --properties "$W/s3proxy.conf" > "$W/s3proxy.log" 2>&1 &
PIDS+=($!)
S3=http://127.0.0.1:$S3_PORT

java "$ROOT/bench/StandInQdrant.java" "$W/qdrant.port" "${COLLS[@]}" --small "$SMALL" > "$W/standin.log" 2>&1 &
PIDS+=($!)
for i in $(seq 1 600); do [ -s "$W/qdrant.port" ] && break; sleep 0.2; done
[ -s "$W/qdrant.port" ] || { say "stand-in Qdrant did not start"; cat "$W/standin.log" >&2; exit 1; }
Q=http://127.0.0.1:$(cat "$W/qdrant.port")
wait_http "$Q/" "stand-in Qdrant"
wait_http "$S3/" "S3Proxy"

export AWS_ACCESS_KEY_ID=bench-access AWS_SECRET_ACCESS_KEY=bench-secret AWS_DEFAULT_REGION=us-east-1
# S3Proxy refuses the flexible-checksum headers newer clients send by default
export AWS_REQUEST_CHECKSUM_CALCULATION=when_required AWS_RESPONSE_CHECKSUM_VALIDATION=when_required

clear_bucket() { find "$W/s3/bench" -mindepth 1 -delete; }

# ---------------------------------------------------------------- results
RESULTS=$W/results.tsv     # row, size, seconds, bytes, rss_kb
: > "$RESULTS"
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:--}" >> "$RESULTS"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
LOADS=$W/loads.txt         # 1-minute load average before each timed transfer
: > "$LOADS"
note_load() { cut -d' ' -f1 /proc/loadavg >> "$LOADS"; }
# user + sys seconds (GNU time's -f '%U %S' in file $1) per GiB of $2 bytes
cpu_per_gib() { awk -v b="$2" '{ printf "%.3f", ($1 + $2) * 1073741824 / b }' "$1"; }
# Runs "$@" under GNU time (user + sys of the whole process and the children it waited for) into file $1.
timed() { # file, command ...
  local out=$1; shift
  if [ $HAVE_GNU_TIME = 1 ]; then /usr/bin/time -f '%U %S' -o "$out" "$@"; else "$@"; fi
}

snapshot_name() { # POST a snapshot of collection $1, print its name
  curl -s -X POST "$Q/collections/$1/snapshots?wait=true" | sed -E 's/.*"name":"([^"]+)".*/\1/'
}

tool_config() { # $1 = folder, then extra properties lines: the shipped settings, then the bench's
  local dir=$1; shift
  mkdir -p "$dir"
  {
    cat "$ROOT/application.properties"
    echo
    echo "# --- the bench's own (a later line wins)"
    echo "qdrant.url=$Q"
    echo "qdrant.retries=0"
    echo "archive.dir=$dir/archive"
    echo "state.dir=$dir/state"
    echo "offsite.bucket=bench"
    echo "offsite.prefix=qdrant-backup"
    echo "offsite.region=us-east-1"
    echo "offsite.endpoint=$S3"
    echo "offsite.access-key=bench-access"
    echo "offsite.secret-key=bench-secret"
    echo "restore.inbox.dir=$dir/inbox"
    printf '%s\n' "$@"
  } > "$dir/app.properties"
}

# Runs qdrant-backup with $JVM_FLAGS; sets T_WALL (s), T_RSS (kB), T_START (s to "Camel ... started"),
# T_CPU (user + sys s of the java process, "-" without GNU time).
run_tool() { # $1 = folder with app.properties, rest = command and arguments
  local dir=$1; shift
  local t0 t1 code=0
  t0=$(now)
  if [ $HAVE_GNU_TIME = 1 ]; then
    /usr/bin/time -v -o "$dir/time.txt" java $JVM_FLAGS -jar "$ROOT/target/qdrant-backup.jar" "$@" \
      --config "$dir/app.properties" --routes "$ROOT/routes" > "$dir/out.log" 2>&1 || code=$?
    t1=$(now)
    T_RSS=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$dir/time.txt")
    T_CPU=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$dir/time.txt")
  else
    java $JVM_FLAGS -jar "$ROOT/target/qdrant-backup.jar" "$@" \
      --config "$dir/app.properties" --routes "$ROOT/routes" > "$dir/out.log" 2>&1 &
    local pid=$! hwm=0 v
    while kill -0 "$pid" 2>/dev/null; do
      v=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
      [ -n "$v" ] && hwm=$v
      sleep 0.1
    done
    wait "$pid" || code=$?
    t1=$(now)
    T_RSS=$hwm
    T_CPU=-
  fi
  T_WALL=$(elapsed "$t0" "$t1")
  local started
  started=$(grep -m1 -E 'Apache Camel .* \(qdrant-backup\) started in' "$dir/out.log" | cut -c1-23 || true)
  if [ -n "$started" ]; then
    T_START=$(elapsed "$t0" "$(date -d "$started" +%s.%N)")
  else
    T_START=-
  fi
  if [ $code != 0 ]; then
    say "qdrant-backup $* failed (exit $code); its log:"; tail -30 "$dir/out.log" >&2; exit 1
  fi
}

# The daemon with the restore inbox: start it, wait for Camel, drop snapshot + manifest (hard links, no copy,
# already older than the inbox's min-age), time drop -> inbox/done/, read VmHWM, stop it.
restore_inbox() { # size, run, file, bytes
  local s=$1 r=$2 f=$3 n=$4 d=$W/restore-$1-$2 target="restored-$1-$2" sha pid i t0 t1 hwm
  tool_config "$d" "restore.inbox.enabled=true" "restore.inbox.dir=$d/inbox" "restore.inbox.min-age=1s" \
    "restore.inbox.poll=200ms" "restore.health-poll=100ms" "backup.schedule.enabled=false" "retention.schedule.enabled=false" \
    "camel.management.enabled=false"
  mkdir -p "$d/inbox" "$d/drop"
  sha=$(sha256sum "$f" | cut -d' ' -f1)
  printf '{"collection":"%s","snapshot":"%s","kind":"collection","size":%s,"sha256":"%s","created":"%s"}\n' \
    "$target" "$target.snapshot" "$n" "$sha" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$d/drop/$target.snapshot.json"
  ln "$f" "$d/drop/$target.snapshot"
  touch -d '1 minute ago' "$d/drop/$target.snapshot.json"
  java $JVM_FLAGS -jar "$ROOT/target/qdrant-backup.jar" run --config "$d/app.properties" --routes "$ROOT/routes" \
    > "$d/out.log" 2>&1 &
  pid=$!
  for i in $(seq 1 300); do grep -q '(qdrant-backup) started in' "$d/out.log" && break; sleep 0.2; done
  t0=$(now)
  mv "$d/drop/$target.snapshot.json" "$d/inbox/"
  mv "$d/drop/$target.snapshot" "$d/inbox/"
  for i in $(seq 1 6000); do   # bounded: 20 minutes
    [ -e "$d/inbox/done/$target.snapshot" ] && break
    [ -n "$(ls "$d/inbox/failed" 2>/dev/null)" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  t1=$(now)
  hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo -)
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ -e "$d/inbox/done/$target.snapshot" ]; then
    record "restore: qdrant-backup inbox (drop -> done/)" "$s" "$(elapsed "$t0" "$t1")" "$n" "$hwm"
    # the upload step alone, as the restore report times it (comparable with curl -F)
    local up
    up=$(grep -o '"upload" *: *[0-9.]*' "$d/inbox/done/$target.snapshot.report.json" | grep -o '[0-9.]*$' || true)
    [ -n "$up" ] && record "restore: qdrant-backup upload step (report)" "$s" "$up" "$n"
  else
    say "restore through the inbox did not finish; its log:"; tail -30 "$d/out.log" >&2
    record "restore: qdrant-backup inbox (drop -> done/)" "$s" "-" "$n" "-"
  fi
  rm -rf "$d"
}

# The daemon as an operator starts it (shipped settings, management port on): time from `java -jar` to the
# first 200 of /observe/health/live (up), then of /observe/health/ready (Qdrant answers, bucket writable),
# each polled every 20 ms.
startup() { # label, extra properties lines
  local label=$1 d=$W/startup port pid t0 tl tr i; shift
  port=$(free_port)
  tool_config "$d" "camel.management.port=$port" "$@"
  t0=$(now); tl=""; tr=""
  java $JVM_FLAGS -jar "$ROOT/target/qdrant-backup.jar" run --config "$d/app.properties" --routes "$ROOT/routes" \
    > "$d/out.log" 2>&1 &
  pid=$!
  for i in $(seq 1 3000); do   # bounded: 60 s
    kill -0 "$pid" 2>/dev/null || break
    if [ -z "$tl" ] && curl -sf -o /dev/null "http://127.0.0.1:$port/observe/health/live"; then tl=$(now); fi
    if [ -n "$tl" ] && curl -sf -o /dev/null "http://127.0.0.1:$port/observe/health/ready"; then tr=$(now); break; fi
    sleep 0.02
  done
  if [ -n "$tr" ]; then
    record "$label: live" "-" "$(elapsed "$t0" "$tl")" "-"
    record "$label: ready" "-" "$(elapsed "$t0" "$tr")" "-"
  else
    say "the daemon did not get ready; its log:"; tail -30 "$d/out.log" >&2
    if [ -n "$tl" ]; then record "$label: live" "-" "$(elapsed "$t0" "$tl")" "-"; else record "$label: live" "-" "-" "-"; fi
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$d"
}

# ---------------------------------------------------------------- measurements
say "stand-in: $Q, S3Proxy (filesystem back end, own process): $S3, runs: $RUNS, JVM flags: $JVM_FLAGS"
[ $HAVE_AWS = 1 ] || say "aws CLI not found: the recipe and upload-alone rows are skipped"

if want startup; then
  for r in $(seq 1 "$STARTUP_RUNS"); do
    say "[start-up run $r/$STARTUP_RUNS] daemon to /observe/health/live"
    startup "daemon start-up, no bucket" "offsite.bucket="
    startup "daemon start-up, bucket checked" "offsite.check-on-start=true"
  done
fi

for s in "${SIZES[@]}"; do
  f=$W/bench-$s.snapshot
  n=${BYTES[$s]}
  for r in $(seq 1 "$RUNS"); do
    if want limit; then
    say "[$s run $r/$RUNS] limit: curl -o /dev/null, cp"
    name=$(snapshot_name "bench-$s")
    t0=$(now); curl -sf -o /dev/null "$Q/collections/bench-$s/snapshots/$name"; t1=$(now)
    record "limit: curl -o /dev/null (stand-in)" "$s" "$(elapsed "$t0" "$t1")" "$n"
    t0=$(now); cp "$f" "$W/copy"; sync "$W/copy"; t1=$(now); rm -f "$W/copy"
    record "limit: cp on the same disk" "$s" "$(elapsed "$t0" "$t1")" "$n"
    fi

    if want recipe && [ $HAVE_AWS = 1 ]; then
      say "[$s run $r/$RUNS] recipe: curl -o file && aws s3 cp"
      name=$(snapshot_name "bench-$s")
      note_load; rm -f "$W/cpu.txt"
      t0=$(now)
      timed "$W/cpu.txt" sh -c 'curl -sf -o "$1" "$2" && aws --endpoint-url "$3" s3 cp --only-show-errors "$1" "$4"' \
        recipe "$W/recipe.snapshot" "$Q/collections/bench-$s/snapshots/$name" "$S3" "s3://bench/recipe/$name"
      t1=$(now)
      record "recipe: curl -o file + aws s3 cp" "$s" "$(elapsed "$t0" "$t1")" "$n"
      [ -s "$W/cpu.txt" ] && record "CPU s per GiB (user+sys): recipe, curl + aws" "$s" "$(cpu_per_gib "$W/cpu.txt" "$n")" "-"
      rm -f "$W/recipe.snapshot"; clear_bucket
    fi

    if want backup; then
    say "[$s run $r/$RUNS] qdrant-backup backup-now bench-$s"
    d=$W/tool-$s-$r
    tool_config "$d" "backup.include=bench-*"
    note_load
    run_tool "$d" backup-now "bench-$s"
    record "qdrant-backup backup-now" "$s" "$T_WALL" "$n" "$T_RSS"
    record "qdrant-backup start-up to Camel started" "-" "$T_START" "-"
    [ "$T_CPU" != - ] && record "CPU s per GiB (user+sys): qdrant-backup backup-now" "$s" \
      "$(awk -v c="$T_CPU" -v b="$n" 'BEGIN { printf "%.3f", c * 1073741824 / b }')" "-"
    rm -rf "$d"; clear_bucket
    fi

    if want upload && [ $HAVE_AWS = 1 ]; then
      # the finished file (the bytes backup-now archives and uploads) to the same bucket, the recipe's CLI settings:
      # the limit a backup can reach on this machine, S3Proxy sharing its cores
      say "[$s run $r/$RUNS] S3 upload alone: aws s3 cp"
      note_load; rm -f "$W/cpu.txt"
      t0=$(now)
      timed "$W/cpu.txt" aws --endpoint-url "$S3" s3 cp --only-show-errors "$f" "s3://bench/upload/bench-$s-$r.snapshot"
      t1=$(now)
      record "S3 upload alone: aws s3 cp of the finished file" "$s" "$(elapsed "$t0" "$t1")" "$n"
      [ -s "$W/cpu.txt" ] && record "CPU s per GiB (user+sys): S3 upload alone, aws" "$s" "$(cpu_per_gib "$W/cpu.txt" "$n")" "-"
      clear_bucket
    fi

    want restore || continue
    say "[$s run $r/$RUNS] restore: curl -F"
    t0=$(now)
    curl -sf -o /dev/null -F "snapshot=@$f" "$Q/collections/bench-$s/snapshots/upload?priority=snapshot&wait=true"
    t1=$(now)
    record "restore: curl -F snapshot=@file" "$s" "$(elapsed "$t0" "$t1")" "$n"

    if [ -f "$ROOT/routes/restore.camel.yaml" ]; then
      say "[$s run $r/$RUNS] restore: qdrant-backup inbox"
      restore_inbox "$s" "$r" "$f" "$n"
    fi
  done
done
[ -f "$ROOT/routes/restore.camel.yaml" ] || say "restore inbox not on this branch yet: its row is pending"

if [ "$SMALL" -gt 0 ] && want small; then
  # 50 vs $SMALL collections (time per collection should stay flat), then $SMALL with 4 in parallel
  few=$(( SMALL < 50 ? SMALL : 50 ))
  pattern=$(for i in $(seq 1 "$few"); do printf 'small-%04d,' "$i"; done); pattern=${pattern%,}
  specs=("$SMALL:1:small-*" "$SMALL:4:small-*")
  [ "$few" -lt "$SMALL" ] && specs=("$few:1:$pattern" "${specs[@]}")
  for spec in "${specs[@]}"; do
    count=${spec%%:*}; rest=${spec#*:}; par=${rest%%:*}; include=${rest#*:}
    for r in $(seq 1 "$SMALL_RUNS"); do
      say "[small run $r/$SMALL_RUNS] $count collections, backup.parallel=$par"
      d=$W/small-$count-$par-$r
      tool_config "$d" "backup.include=$include" "backup.parallel=$par"
      run_tool "$d" backup-now
      ok=$(grep -c ' OK ' "$d/out.log" || true)
      [ "$ok" -ge "$count" ] || { say "only $ok of $count collections OK"; tail -20 "$d/out.log" >&2; exit 1; }
      run_s=$(sed -nE 's/.*backup run succeeded in ([0-9.]+)s.*/\1/p' "$d/out.log" | head -1)
      record "$count small collections, parallel $par: run (ms per collection)" "64K" \
        "$(awk -v t="$run_s" -v c="$count" 'BEGIN { printf "%.3f", t / c }')" "-" "$T_RSS"
      rm -rf "$d"; clear_bucket
    done
  done
fi

# ---------------------------------------------------------------- table
say ""
{
  echo "machine: $(nproc) cores, $(free -h | awk '/^Mem:/ { print $2 }') memory, disk $(df -h "$W" | awk 'NR==2 { print $1 }'); java: $(java -version 2>&1 | head -1)"
  echo "JVM flags of every qdrant-backup run: $JVM_FLAGS; runs per row: $RUNS ($SMALL_RUNS for the small collections)"
  [ -s "$LOADS" ] && sort -g "$LOADS" | awk '{ a[NR] = $1 } END {
    printf "load average (1 min) before the timed transfers: min %s, median %s, max %s (%d cores)\n", a[1], a[int((NR + 1) / 2)], a[NR], '"$(nproc)"' }'
  awk -F'\t' '
    function median(a, n,   i, j, t) {
      for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    {
      k = $1 SUBSEP $2
      if (!(k in n)) { order[++rows] = k; name[k] = $1; size[k] = $2; bytes[k] = $4 }
      if ($3 != "-") { n[k]++; v[k, n[k]] = $3 } else if (!(k in n)) n[k] = 0
      if ($5 != "-") { m[k]++; rss[k, m[k]] = $5 }
    }
    END {
      printf "| %-62s | %-4s | %-9s | %-15s | %-9s | %-15s |\n", "row", "size", "median", "min - max", "MB/s", "peak RSS MB"
      printf "|%s|%s|%s|%s|%s|%s|\n", "----------------------------------------------------------------", "------", "-----------", "-----------------", "-----------", "-----------------"
      for (r = 1; r <= rows; r++) {
        k = order[r]; c = n[k]
        if (c == 0) { printf "| %-62s | %-4s | %-9s | %-15s | %-9s | %-15s |\n", name[k], size[k], "-", "-", "-", "-"; continue }
        lo = hi = v[k, 1]
        for (i = 1; i <= c; i++) { a[i] = v[k, i] + 0; if (a[i] < lo) lo = a[i]; if (a[i] > hi) hi = a[i] }
        med = median(a, c); med_s[k] = med
        unit = name[k] ~ /ms per collection/ ? 1000 : 1
        mbs = (bytes[k] != "-" && med > 0) ? sprintf("%.0f", bytes[k] / 1e6 / med) : "-"
        rs = "-"
        if (m[k] > 0) {
          rl = rh = rss[k, 1]
          for (i = 1; i <= m[k]; i++) { b[i] = rss[k, i] + 0; if (b[i] < rl) rl = b[i]; if (b[i] > rh) rh = b[i] }
          rs = sprintf("%.0f (max %.0f)", median(b, m[k]) / 1024, rh / 1024)
        }
        printf "| %-62s | %-4s | %-9s | %-15s | %-9s | %-15s |\n", name[k], size[k],
          sprintf("%.3f%s", med * unit, unit == 1 ? " s" : " ms"),
          sprintf("%.3f - %.3f", lo * unit, hi * unit), mbs, rs
      }
      print ""
      for (r = 1; r <= rows; r++) {
        k = order[r]
        if (name[k] == "qdrant-backup backup-now") {
          rk = "recipe: curl -o file + aws s3 cp" SUBSEP size[k]
          if ((rk in med_s) && med_s[rk] > 0) printf "ratio backup / recipe (%s): %.2f\n", size[k], med_s[k] / med_s[rk]
          uk = "S3 upload alone: aws s3 cp of the finished file" SUBSEP size[k]
          if ((uk in med_s) && med_s[uk] > 0) {
            # runs alternate (backup, upload, backup, upload ...): pair i is run i of each
            p = n[k] < n[uk] ? n[k] : n[uk]; list = ""
            for (i = 1; i <= p; i++) { q[i] = v[k, i] / v[uk, i]; list = list sprintf(" %.2f", q[i]) }
            mq = median(q, p)   # sorts q: q[1] and q[p] are then min and max
            printf "ratio backup-now / upload alone (%s), wall: medians %.2f; pair by pair: median %.2f, min - max %.2f - %.2f (pairs:%s)\n",
              size[k], med_s[k] / med_s[uk], mq, q[1], q[p], list
          }
        }
        if (name[k] ~ /^CPU s per GiB/) printf "%s (%s): median %.2f s per GiB\n", name[k], size[k], med_s[k]
        if (name[k] == "restore: qdrant-backup inbox (drop -> done/)" && n[k] > 0) {
          ck = "restore: curl -F snapshot=@file" SUBSEP size[k]
          if (ck in med_s) printf "ratio restore throughput qdrant-backup / curl -F (%s): %.2f\n", size[k], med_s[ck] / med_s[k]
        }
        if (name[k] == "restore: qdrant-backup upload step (report)" && n[k] > 0) {
          ck = "restore: curl -F snapshot=@file" SUBSEP size[k]
          if (ck in med_s) printf "ratio restore upload step qdrant-backup / curl -F (%s): %.2f\n", size[k], med_s[ck] / med_s[k]
        }
      }
    }' "$RESULTS"
}
