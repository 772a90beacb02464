#!/usr/bin/env bash
# Whole-process start-up of the CLI, side by side with the JVM alone (issue 9's goal: whoami <= 3x
# and --help <= 2x `java -version` on the same JVM flags). Needs hyperfine (apt-get install hyperfine)
# and, for whoami, a running suite and a login (bin/autolab-dev; bin/autolab login), or AUTOLAB_HOST
# and AUTOLAB_TOKEN in the environment.
#   bench/cli-startup.sh [runs=20]
# BEFORE_CLI=path/to/an/older/checkout/bin/autolab adds that launcher's --help and whoami, for a
# before/after in one run (run through `env`, with its own XDG_CACHE_HOME, so that the two launchers
# do not delete each other's start-up archive; `env` adds about a millisecond to those two).
# BEFORE_JAR=path/to/an/older/autolab-cli.jar (its lib/ beside it) adds that jar's whoami and --help
# as the bin/autolab of before issue 9 ran them (no archive).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
runs="${1:-20}"
command -v hyperfine >/dev/null || { echo "needs hyperfine: apt-get install hyperfine" >&2; exit 2; }
cli="$root/bin/autolab"
"$cli" --version >/dev/null   # builds the CLI and its start-up archive when missing
# The same flags as bin/autolab (without the archive, which only the CLI's classes are in).
flags="$(sed -n 's/^flags=(\(.*\))$/\1/p' "$cli")"
commands=(
  "java $flags -version"
  "$cli --help"
  "$cli whoami"
)
if [ -n "${BEFORE_CLI:-}" ]; then
  before_cache="${XDG_CACHE_HOME:-$HOME/.cache}/autolab-before"
  XDG_CACHE_HOME="$before_cache" "$BEFORE_CLI" --version >/dev/null
  commands+=("env XDG_CACHE_HOME=$before_cache $BEFORE_CLI --help" "env XDG_CACHE_HOME=$before_cache $BEFORE_CLI whoami")
fi
if [ -n "${BEFORE_JAR:-}" ]; then
  old="java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k"
  commands+=("$old -version" "$old -jar $BEFORE_JAR --help" "$old -jar $BEFORE_JAR whoami")
fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
table="$(mktemp)"
trap 'rm -f "$table"' EXIT
hyperfine -N --style basic --warmup 3 --runs "$runs" --export-markdown "$table" "${commands[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
cat "$table"
