#!/usr/bin/env bash
# Fails when the committed dist/ differs from a fresh build of the sources.
set -euo pipefail
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
node scripts/bundle.mjs "$fresh" >/dev/null
if ! diff -r -q dist "$fresh" >/dev/null; then
  echo "dist/ is stale: run 'npm run bundle' and commit dist/." >&2
  diff -r -q dist "$fresh" >&2 || true
  exit 1
fi
echo "dist/ is current"
