#!/usr/bin/env bash
# Execution nodes at scale through the gateway: registers N nodes, holds N Connect streams over C
# HTTP/2 connections heartbeating every 10 s, measures heartbeat -> LeaseGranted latency, node-registry's
# and the gateway's live heap per stream (jcmd GC.run + jstat; node-registry runs with the JVM options of
# the local suite, DevSuite.jvmOptions), and how long a node waits for its Disconnect after its token is revoked or it is
# removed, with the fleet still heartbeating. Starts its own suite (bin/autolab-dev's launcher on a
# fresh home: the suite generates the PostgreSQL password and hands it to the services) and stops it.
# Usage: bench/nodes.sh [nodes=1000] [connections=10] [seconds=30]
#   NODES_JAVA_OPTS  JVM options of the load client (default -Xmx1g)
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${1:-1000}
connections=${2:-10}
seconds=${3:-30}
if [ ! -f bench/target/classpath.txt ] || [ ! -f deploy/local/target/autolab-local.jar ] \
    || [ ! -f node-registry/target/quarkus-app/quarkus-run.jar ] || [ ! -f gateway/target/quarkus-app/quarkus-run.jar ] \
    || [ ! -f auth-service/target/quarkus-app/quarkus-run.jar ] || [ ! -f keys-service/target/quarkus-app/quarkus-run.jar ]; then
  echo "building (first run)..." >&2
  ./mvnw -B -q install -DskipTests
fi
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
work=$(mktemp -d /tmp/autolab-bench.XXXXXX)
port=${BENCH_GATEWAY_PORT:-28490}
# node-registry allows 1,000 nodes per project; the load spreads its fleet over projects of 1,000.
AUTOLAB_DEV_HOME="$work/home" AUTOLAB_DEV_PORT="$port" \
  java -XX:+UseSerialGC -Dautolab.root="$PWD" -cp "deploy/local/target/autolab-local.jar:deploy/local/target/lib/*" \
    dev.autolab.local.AutolabDev >"$work/suite.log" 2>&1 &
suite=$!
stop() {
  status=$?
  kill "$suite" 2>/dev/null || true
  wait "$suite" 2>/dev/null || true
  rm -rf "$work"
  exit "$status"
}
trap stop EXIT INT TERM
for _ in $(seq 240); do grep -q "Autolab is running" "$work/suite.log" && break; sleep 0.5; done
grep -q "Autolab is running" "$work/suite.log" || { cat "$work/suite.log"; exit 1; }
pid_of() { awk -v name="$1" '$1 == name { pid = $2 } END { print pid }' "$work/home/run/processes"; }

echo "== $nodes nodes, $connections connections, measured for ${seconds}s (node-registry with the local suite's JVM options)"
# shellcheck disable=SC2086
java ${NODES_JAVA_OPTS:--Xmx1g} -Dregistry.pid="$(pid_of node-registry)" -Dgateway.pid="$(pid_of gateway)" \
  -cp "$cp" dev.autolab.bench.NodesLoad "localhost:$port" "$nodes" "$connections" "$seconds"
if grep -qiE "OutOfMemoryError|Exception in thread" "$work/home/logs/node-registry.log"; then
  echo "node-registry log:" && grep -iE -m5 "OutOfMemoryError|Exception in thread" "$work/home/logs/node-registry.log"
fi
