#!/usr/bin/env bash
# Generates the openapi-typescript client from the committed document and type-checks usage.ts with
# tsc --strict: documented-required members must be usable without `!` or `?.`.
set -euo pipefail
cd "$(dirname "$0")"
npm install --no-audit --no-fund --silent
rm -rf generated
npx --no-install openapi-typescript ../../../openapi/bilateral-api.v1.json -o generated/schema.d.ts --silent
npx --no-install tsc --noEmit -p tsconfig.json
echo "typescript client: generated and type-checked (strict)"
if [[ -n "${BILATERAL_API:-}" ]]; then
  rm -rf build
  npx --no-install tsc -p tsconfig.json --noEmit false --outDir build
  node run.mjs
fi
