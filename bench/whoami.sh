#!/usr/bin/env bash
# GET /v1/whoami through the gateway (wrk) side by side with the same call as direct gRPC to
# auth-service (h2load, the gRPC frame of an empty WhoAmIRequest), one suite, one run.
# Needs: wrk and h2load (Debian: apt-get install wrk nghttp2-client).
# Usage: bench/whoami.sh [connections=32] [seconds=20]
# Also prints each process's CPU time per request (utime+stime from /proc/<pid>/stat over the run).
# BENCH_JFR=<file.jfr> records the gateway with JFR (jcmd) during the measured REST run.
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-32}
seconds=${2:-20}
for tool in wrk h2load; do
  command -v "$tool" >/dev/null || { echo "bench/whoami.sh needs $tool (apt-get install wrk nghttp2-client)" >&2; exit 2; }
done
if [ ! -f deploy/local/target/autolab-local.jar ] || [ ! -f gateway/target/quarkus-app/quarkus-run.jar ] \
    || [ ! -f auth-service/target/quarkus-app/quarkus-run.jar ]; then
  echo "building (first run)..." >&2
  ./mvnw -B -q install -DskipTests
fi
work=$(mktemp -d /tmp/autolab-bench.XXXXXX)
port=${BENCH_GATEWAY_PORT:-28480}
AUTOLAB_DEV_HOME="$work/home" AUTOLAB_DEV_PORT="$port" \
  java -XX:+UseSerialGC -Dautolab.root="$PWD" -cp "deploy/local/target/autolab-local.jar:deploy/local/target/lib/*" \
    dev.autolab.local.AutolabDev >"$work/suite.log" 2>&1 &
suite=$!
trap 'kill $suite 2>/dev/null; wait $suite 2>/dev/null; rm -rf "$work"' EXIT INT TERM
for _ in $(seq 180); do grep -q "Autolab is running" "$work/suite.log" && break; sleep 0.5; done
grep -q "Autolab is running" "$work/suite.log" || { cat "$work/suite.log"; exit 1; }
auth_port=$(grep -o "auth-service ready on port [0-9]*" "$work/suite.log" | grep -o "[0-9]*$")
gw="http://localhost:$port"

field() { tr -d '\n ' | sed "s/.*\"$1\":\"\([^\"]*\)\".*/\1/"; }
handle="bench-$RANDOM$RANDOM"
curl -sf -XPOST "$gw/v1/users" -d "{\"handle\":\"$handle\",\"password\":\"benchmark password\",\"email\":\"b@example.org\"}" >/dev/null
session=$(curl -sf -XPOST "$gw/v1/sessions" -d "{\"handle\":\"$handle\",\"password\":\"benchmark password\"}" \
  | field token)
token=$(curl -sf -XPOST "$gw/v1/tokens" -H "authorization: Bearer $session" -d '{"name":"bench"}' | field secret)
printf '\x00\x00\x00\x00\x00' >"$work/empty-request.bin"
# Each service by the port it listens on (they run as `java -jar quarkus-run.jar` from their quarkus-app
# folder, so their command lines do not say which service they are).
pid_on_port() { ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
gateway_pid=$(pid_on_port "$port")
auth_pid=$(pid_on_port "$auth_port")
# CPU time of a process so far, in clock ticks (user + system).
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
# µs of CPU per request from a tick difference and a request count.
per_request() { awk -v t="$1" -v n="$2" -v hz="$hz" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }'; }

echo "== warm-up (20 s each)"
wrk -t2 -c"$connections" -d20s -H "authorization: Bearer $token" "$gw/v1/whoami" >/dev/null
h2load -c"$connections" -m1 -D20 -d "$work/empty-request.bin" -H "content-type: application/grpc" -H "te: trailers" \
  -H "authorization: Bearer $token" "http://localhost:$auth_port/autolab.auth.v1.UserService/WhoAmI" >/dev/null

echo "== REST through the gateway: wrk -t2 -c$connections -d${seconds}s GET /v1/whoami"
if [ -n "${BENCH_JFR:-}" ]; then
  jcmd "$gateway_pid" JFR.start name=bench settings=profile filename="$BENCH_JFR" >/dev/null
fi
gw0=$(ticks "$gateway_pid"); auth0=$(ticks "$auth_pid")
wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "authorization: Bearer $token" "$gw/v1/whoami" >"$work/wrk.txt"
gw1=$(ticks "$gateway_pid"); auth1=$(ticks "$auth_pid")
if [ -n "${BENCH_JFR:-}" ]; then
  jcmd "$gateway_pid" JFR.stop name=bench >/dev/null
fi
grep -E "Requests/sec|Non-2xx|50%|90%|99%|requests in" "$work/wrk.txt"
rest=$(grep -o "^ *[0-9]* requests in" "$work/wrk.txt" | grep -o "[0-9]*")
echo "   CPU per request: gateway $(per_request $((gw1 - gw0)) "$rest") µs, auth-service $(per_request $((auth1 - auth0)) "$rest") µs"
echo "== direct gRPC to auth-service: h2load -c$connections -m1 -D$seconds (same concurrency as wrk) UserService/WhoAmI"
auth0=$(ticks "$auth_pid")
h2load -c"$connections" -m1 -D"$seconds" -d "$work/empty-request.bin" -H "content-type: application/grpc" \
  -H "te: trailers" -H "authorization: Bearer $token" \
  "http://localhost:$auth_port/autolab.auth.v1.UserService/WhoAmI" >"$work/h2load.txt"
auth1=$(ticks "$auth_pid")
grep -E "finished in|requests:|status codes|time for request" "$work/h2load.txt"
direct=$(grep -o "requests: [0-9]* total" "$work/h2load.txt" | grep -o "[0-9]*")
echo "   CPU per request: auth-service $(per_request $((auth1 - auth0)) "$direct") µs"
rps_rest=$(grep "Requests/sec" "$work/wrk.txt" | awk '{print $2}')
rps_direct=$(grep -o "finished in [^,]*, [0-9.]* req/s" "$work/h2load.txt" | grep -o "[0-9.]* req/s" | grep -o "[0-9.]*")
awk -v a="$rps_rest" -v b="$rps_direct" 'BEGIN { printf "== ratio REST via gateway / direct gRPC: %.2f\n", a / b }'
load=$(cut -d" " -f1-3 /proc/loadavg)
echo "   load average at the end: $load (on $(nproc) cores)"
