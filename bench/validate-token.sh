#!/usr/bin/env bash
# ValidateToken benchmark: cached (JMH, in process, one thread) and uncached (load client against a
# real auth-service on an embedded PostgreSQL). Everything it starts, it stops.
# Usage: bench/validate-token.sh [concurrency=8] [seconds=20]
set -euo pipefail
cd "$(dirname "$0")/.."
concurrency=${1:-8}
seconds=${2:-20}
work=$(mktemp -d /tmp/autolab-bench.XXXXXX)
pg_port=${BENCH_PG_PORT:-25433}
auth_port=${BENCH_AUTH_PORT:-19111}
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

if [ ! -f bench/target/classpath.txt ] || [ ! -f auth-service/target/quarkus-app/quarkus-run.jar ] \
    || [ ! -f deploy/local/target/autolab-local.jar ]; then
  echo "building (first run)..." >&2
  ./mvnw -B -q install -DskipTests
fi
cp="bench/target/classes:$(cat bench/target/classpath.txt)"

echo "== cached: format check + cache hit, 1 thread (JMH)"
java -cp "$cp" org.openjdk.jmh.Main CachedValidationBenchmark -rf text -rff "$work/jmh.txt" >"$work/jmh.log" 2>&1 \
  || { cat "$work/jmh.log"; exit 1; }
tail -n 3 "$work/jmh.txt"

echo "== uncached: ValidateToken over gRPC, auth-service + embedded PostgreSQL"
java -cp "deploy/local/target/autolab-local.jar:deploy/local/target/lib/*" dev.autolab.local.LocalPostgres "$work" "$pg_port" autolab_auth \
  >"$work/pg.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do grep -q "ready" "$work/pg.log" && break; sleep 0.5; done
# auth-service reads the generated PostgreSQL password from its environment (never a command line).
AUTOLAB_DB_PASSWORD=$(cat "$work/postgres/password")
export AUTOLAB_DB_PASSWORD
AUTOLAB_AUTH_PORT=$auth_port AUTOLAB_SIGNUP_OPEN=true \
  AUTOLAB_AUTH_DB_JDBC_URL="jdbc:postgresql://127.0.0.1:$pg_port/autolab_auth" \
  AUTOLAB_AUTH_DB_URL="postgresql://127.0.0.1:$pg_port/autolab_auth" \
  java -jar auth-service/target/quarkus-app/quarkus-run.jar >"$work/auth.log" 2>&1 &
pids+=($!)
for _ in $(seq 120); do curl -sf "localhost:$auth_port/q/health/ready" >/dev/null && break; sleep 0.5; done
java -cp "$cp" dev.autolab.bench.ValidateTokenLoad "localhost:$auth_port" "$concurrency" "$seconds"
