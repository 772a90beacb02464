#!/usr/bin/env bash
# ResolveProjectKey benchmark, side by side with auth-service's uncached ValidateToken in the same run:
# keys-service on the built-in encrypted store and on Vault (the stand-in), each at concurrency 1 and
# 16, on one embedded PostgreSQL. Everything it starts, it stops.
# Usage: bench/resolve-key.sh [seconds=10]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
work=$(mktemp -d /tmp/autolab-bench.XXXXXX)
pg_port=${BENCH_PG_PORT:-25434}
auth_port=${BENCH_AUTH_PORT:-19121}
keys_port=${BENCH_KEYS_PORT:-19122}
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

if [ ! -f bench/target/classpath.txt ] || [ ! -f auth-service/target/quarkus-app/quarkus-run.jar ] \
    || [ ! -f keys-service/target/quarkus-app/quarkus-run.jar ] || [ ! -f deploy/local/target/autolab-local.jar ]; then
  echo "building (first run)..." >&2
  ./mvnw -B -q install -DskipTests
fi
cp="bench/target/classes:$(cat bench/target/classpath.txt)"

java -cp "deploy/local/target/autolab-local.jar:deploy/local/target/lib/*" dev.autolab.local.LocalPostgres "$work/pg" "$pg_port" \
  autolab_auth autolab_keys autolab_keys_vault >"$work/pg.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do grep -q "ready" "$work/pg.log" && break; sleep 0.5; done
# The services read the generated PostgreSQL password from their environment (never a command line).
AUTOLAB_DB_PASSWORD=$(cat "$work/pg/postgres/password")
export AUTOLAB_DB_PASSWORD
AUTOLAB_AUTH_PORT=$auth_port AUTOLAB_SIGNUP_OPEN=true \
  AUTOLAB_AUTH_DB_JDBC_URL="jdbc:postgresql://127.0.0.1:$pg_port/autolab_auth" \
  AUTOLAB_AUTH_DB_URL="postgresql://127.0.0.1:$pg_port/autolab_auth" \
  java -jar auth-service/target/quarkus-app/quarkus-run.jar >"$work/auth.log" 2>&1 &
pids+=($!)
for _ in $(seq 120); do curl -sf "localhost:$auth_port/q/health/ready" >/dev/null && break; sleep 0.5; done

for c in 1 16; do
  echo "== ValidateToken (auth-service, uncached), concurrency $c"
  java -Dwarmup=5 -cp "$cp" dev.autolab.bench.ValidateTokenLoad "localhost:$auth_port" "$c" "$seconds"
done
kill "${pids[1]}" 2>/dev/null || true
echo "== ResolveProjectKey (keys-service; node principal cached, value cached per key version)"
java -Dwarmup=5 -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dautolab.root="$PWD" -cp "$cp" dev.autolab.bench.ResolveKeyLoad "$pg_port" "$keys_port" "$work" \
  "$seconds" 1 16
