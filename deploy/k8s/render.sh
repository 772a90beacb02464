#!/usr/bin/env bash
# Renders both overlays into rendered/<overlay>.yaml, exactly what `kubectl apply -k` would send.
# Run after any change under base/ or overlays/ and commit the result: the tests check the committed
# rendering on machines without kubectl, and require it to match a fresh one where kubectl exists.
set -euo pipefail
cd "$(dirname "$0")"
for overlay in dev prod; do
  kubectl kustomize "overlays/$overlay" > "rendered/$overlay.yaml"
  echo "rendered/$overlay.yaml"
done
