#!/usr/bin/env bash
# dist/ must be exactly what `npm run bundle` makes from the committed source: rebuild it and
# fail on any difference (changed, deleted or new files).
set -euo pipefail
cd "$(dirname "$0")/.."

# The bundle is only right when patches/ were applied to node_modules on install (npm ci runs
# patch-package; `npm ci --ignore-scripts` does not). Without them dist/ differs for that reason
# alone, and rebundling would commit a far bigger, slower bundle: say so instead.
for patch in patches/*.patch; do
  if ! git apply --check --reverse "$patch" 2>/dev/null; then
    echo "$patch is not applied to node_modules (was npm ci run with --ignore-scripts?)," >&2
    echo "so a fresh bundle cannot be compared with dist/. Run 'npx patch-package' (or 'npm ci')," >&2
    echo "then 'npm run check-dist' again. Do not rebundle and commit dist/ without the patches." >&2
    exit 1
  fi
done

npm run -s bundle >/dev/null
if [ -n "$(git status --porcelain -- dist)" ]; then
  echo "dist/ differs from a fresh 'npm run bundle':" >&2
  git status --short -- dist >&2
  git --no-pager diff --stat -- dist >&2
  echo "Run 'npm run bundle' and commit dist/ with the source that made it." >&2
  exit 1
fi
echo "dist/ matches a fresh bundle."
