#!/usr/bin/env bash
# dist/ must be exactly what `npm run bundle` makes from the committed source: rebuild it and
# fail on any difference (changed, deleted or new files).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run -s bundle >/dev/null
if [ -n "$(git status --porcelain -- dist)" ]; then
  echo "dist/ differs from a fresh 'npm run bundle':" >&2
  git status --short -- dist >&2
  git --no-pager diff --stat -- dist >&2
  echo "Run 'npm run bundle' and commit dist/ with the source that made it." >&2
  exit 1
fi
echo "dist/ matches a fresh bundle."
