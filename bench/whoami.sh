#!/usr/bin/env bash
# GET /v1/whoami through the gateway (wrk) side by side with the same call as direct gRPC to
# auth-service (h2load, the gRPC frame of an empty WhoAmIRequest), one suite, one run.
# Needs: wrk and h2load (Debian: apt-get install wrk nghttp2-client).
# Usage: bench/whoami.sh [connections=32] [seconds=20]
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

echo "== warm-up (20 s each)"
wrk -t2 -c"$connections" -d20s -H "authorization: Bearer $token" "$gw/v1/whoami" >/dev/null
h2load -c"$connections" -m1 -D20 -d "$work/empty-request.bin" -H "content-type: application/grpc" -H "te: trailers" \
  -H "authorization: Bearer $token" "http://localhost:$auth_port/autolab.auth.v1.UserService/WhoAmI" >/dev/null

echo "== REST through the gateway: wrk -t2 -c$connections -d${seconds}s GET /v1/whoami"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "authorization: Bearer $token" "$gw/v1/whoami" \
  | grep -E "Requests/sec|Non-2xx|50%|90%|99%|requests in"
echo "== direct gRPC to auth-service: h2load -c$connections -m1 -D$seconds (same concurrency as wrk) UserService/WhoAmI"
h2load -c"$connections" -m1 -D"$seconds" -d "$work/empty-request.bin" -H "content-type: application/grpc" \
  -H "te: trailers" -H "authorization: Bearer $token" \
  "http://localhost:$auth_port/autolab.auth.v1.UserService/WhoAmI" | grep -E "finished in|requests:|status codes|time for request"
