#!/usr/bin/env bash
# Start-to-ready and idle memory of each service, one at a time, as an autoscaler and a node's memory
# feel them: the time from exec to the first 200 of /q/health/ready, then RSS (VmRSS) after IDLE
# seconds at rest. Starts its own embedded PostgreSQL (the local launcher's LocalPostgres, password
# generated) and one auth-service for the others to point at (not measured), then each measured
# service in turn, RUNS times per flag set. Prints the median (min-max) per service and flag set.
# Usage: bench/startup.sh [runs=3] [flag-set...]
#   flag sets (default: before after): before = -Xmx512m, as the local suite ran them until issue 11;
#   after = the container flags of deploy/jvm-options.md; or any NAME whose flags are in
#   STARTUP_FLAGS_NAME (e.g. STARTUP_FLAGS_serial="-XX:+UseSerialGC -Xmx128m").
#   IDLE  seconds at rest before reading RSS (default 5); SERVICES (default: all four)
# The word APPCDS in a flag set stands for -XX:SharedArchiveFile=app-cds.jsa -Xshare:auto when the build
# made the archive (-Dquarkus.package.jar.appcds.enabled=true; see deploy/jvm-options.md), else nothing.
# MAXHEAP stands for the service's heap ceiling there (-Xmx256m for auth-service, -Xmx192m for the others).
# Every service runs from its quarkus-app folder as `java ... -jar quarkus-run.jar`: the archive records
# that relative class path and is refused with any other.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
shift || true
variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=(before after)
idle=${IDLE:-5}
services=(${SERVICES:-auth-service keys-service node-registry gateway})
STARTUP_FLAGS_before=${STARTUP_FLAGS_before:--Xmx512m}
# Keep in step with deploy/jvm-options.md and DevSuite.JVM_OPTIONS.
STARTUP_FLAGS_after=${STARTUP_FLAGS_after:--XX:+UseSerialGC -Xms32m MAXHEAP -Xss512k -XX:ReservedCodeCacheSize=64m APPCDS}

for s in auth-service keys-service node-registry gateway; do
  if [ ! -f "$s/target/quarkus-app/quarkus-run.jar" ] || [ ! -f deploy/local/target/autolab-local.jar ]; then
    echo "building (first run)..." >&2
    ./mvnw -B -q install -DskipTests
    break
  fi
done

work=$(mktemp -d /tmp/autolab-startup.XXXXXX)
pids=()
stop() {
  status=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
  exit "$status"
}
trap stop EXIT INT TERM

# A port nothing listens on (bash's /dev/tcp: a refused connection means free).
free_port() {
  local p
  while true; do
    p=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$1/q/health/ready")" = 200 ]; }

pg_port=$(free_port)
java -XX:+UseSerialGC -cp "deploy/local/target/autolab-local.jar:deploy/local/target/lib/*" dev.autolab.local.LocalPostgres \
  "$work/pg" "$pg_port" autolab_auth autolab_keys autolab_nodes >"$work/pg.log" 2>&1 &
pids+=($!)
for _ in $(seq 240); do grep -q "postgres ready" "$work/pg.log" && break; sleep 0.25; done
grep -q "postgres ready" "$work/pg.log" || { cat "$work/pg.log"; exit 1; }
AUTOLAB_DB_PASSWORD=$(cat "$work/pg/postgres/password")
export AUTOLAB_DB_USER=postgres AUTOLAB_DB_PASSWORD

# The environment of a service on $2, as DevSuite gives it.
env_of() {
  local name=$1 port=$2
  local db="jdbc:postgresql://127.0.0.1:$pg_port" url="postgresql://127.0.0.1:$pg_port"
  case $name in
    auth-service) echo "AUTOLAB_AUTH_PORT=$port AUTOLAB_AUTH_HOST=127.0.0.1 AUTOLAB_AUTH_DB_JDBC_URL=$db/autolab_auth AUTOLAB_AUTH_DB_URL=$url/autolab_auth AUTOLAB_SIGNUP_OPEN=true" ;;
    keys-service) echo "AUTOLAB_KEYS_PORT=$port AUTOLAB_KEYS_HOST=127.0.0.1 AUTOLAB_KEYS_DB_JDBC_URL=$db/autolab_keys AUTOLAB_KEYS_DB_URL=$url/autolab_keys AUTOLAB_AUTH_ADDRESS=127.0.0.1:$auth_port AUTOLAB_KEYS_MASTER_KEY_FILE=$work/master.key AUTOLAB_KEYS_SECRET_STORE=local" ;;
    node-registry) echo "AUTOLAB_NODES_PORT=$port AUTOLAB_NODES_HOST=127.0.0.1 AUTOLAB_NODES_DB_JDBC_URL=$db/autolab_nodes AUTOLAB_NODES_DB_URL=$url/autolab_nodes AUTOLAB_AUTH_ADDRESS=127.0.0.1:$auth_port" ;;
    gateway) echo "AUTOLAB_GATEWAY_PORT=$port AUTOLAB_GATEWAY_HOST=127.0.0.1 AUTOLAB_AUTH_ADDRESS=127.0.0.1:$auth_port AUTOLAB_KEYS_ADDRESS=127.0.0.1:$auth_port AUTOLAB_NODES_ADDRESS=127.0.0.1:$auth_port AUTOLAB_PUBLIC_URL=http://localhost:$port" ;;
  esac
}

flags_of() {
  local variant=$1 name=$2
  local var="STARTUP_FLAGS_$variant" jsa="$name/target/quarkus-app/app-cds.jsa" cds
  local flags=${!var-}
  [ -n "$flags" ] || [ -n "${!var+x}" ] || { echo "unknown flag set $variant (set $var)" >&2; exit 2; }
  if [ -f "$jsa" ]; then cds="-XX:SharedArchiveFile=app-cds.jsa -Xshare:auto"; else cds=""; fi
  flags=${flags//APPCDS/$cds}
  if [ "$name" = auth-service ]; then echo "${flags//MAXHEAP/-Xmx256m}"; else echo "${flags//MAXHEAP/-Xmx192m}"; fi
}

# CPU time (user + system) the process has used so far, in ms: less sensitive to a busy machine than wall time.
cpu_ms() { awk -v tick="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / tick) }' "/proc/$1/stat"; }

# Starts $1 with flags $2, waits for ready; prints "ready_ms cpu_ms rss_kb quarkus_started_s".
measure() {
  local name=$1 flags=$2
  local port log pid start t cpu rss started
  port=$(free_port)
  log="$work/$name-$(date +%s%N).log"
  start=$(now_ms)
  # shellcheck disable=SC2046,SC2086
  (cd "$name/target/quarkus-app" && exec env $(env_of "$name" "$port") java $flags -jar quarkus-run.jar) >"$log" 2>&1 &
  pid=$!
  until ready "$port"; do
    kill -0 "$pid" 2>/dev/null || { echo "$name exited:" >&2; tail -20 "$log" >&2; exit 1; }
    [ $(( $(now_ms) - start )) -lt 120000 ] || { echo "$name not ready in 120 s" >&2; exit 1; }
    sleep 0.02
  done
  t=$(( $(now_ms) - start ))
  cpu=$(cpu_ms "$pid")
  sleep "$idle"
  rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
  started=$(grep -o 'started in [0-9.]*s' "$log" | head -1 | grep -o '[0-9.]*' || echo "?")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$t $cpu $rss $started"
}

auth_port=$(free_port)
# shellcheck disable=SC2046
env $(env_of auth-service "$auth_port") java -Xmx256m -jar auth-service/target/quarkus-app/quarkus-run.jar >"$work/support-auth.log" 2>&1 &
pids+=($!)
for _ in $(seq 600); do ready "$auth_port" && break; sleep 0.2; done
ready "$auth_port" || { tail -20 "$work/support-auth.log"; exit 1; }

summary() { sort -n | awk '{ v[NR] = $1 } END { printf "%s (%s-%s)", v[int((NR + 1) / 2)], v[1], v[NR] }'; }

echo "# $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1), runs=$runs, idle=${idle}s"
for v in "${variants[@]}"; do var="STARTUP_FLAGS_$v"; echo "# $v: ${!var-}"; done
printf '%-14s %-8s %-22s %-22s %-20s %s\n' service flags "ready ms med (min-max)" "CPU ms to ready" "RSS MB idle" "quarkus 'started in' s"
for name in "${services[@]}"; do
  for v in "${variants[@]}"; do
    : >"$work/t"; : >"$work/c"; : >"$work/r"; : >"$work/q"
    flags=$(flags_of "$v" "$name")
    for _ in $(seq "$runs"); do
      read -r t cpu rss started < <(measure "$name" "$flags")
      echo "$t" >>"$work/t"; echo "$cpu" >>"$work/c"; echo $((rss / 1024)) >>"$work/r"; echo "$started" >>"$work/q"
    done
    printf '%-14s %-8s %-22s %-22s %-20s %s\n' "$name" "$v" "$(summary <"$work/t")" "$(summary <"$work/c")" \
      "$(summary <"$work/r")" "$(paste -sd' ' "$work/q")"
  done
done
