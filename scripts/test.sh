#!/usr/bin/env bash
# Command two: install what is missing, build, and run the whole test suite.
#   scripts/test.sh            the dev preset (warnings are errors), then the
#                              asan preset (AddressSanitizer + UBSan)
#   PRESETS=dev scripts/test.sh   only the presets named
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for preset in ${PRESETS:-dev asan}; do
  echo "== peerpulse tests: preset $preset" >&2
  "$root/scripts/setup.sh" "$preset"
  (cd "$root" && ctest --preset "$preset")
done
