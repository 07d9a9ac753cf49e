#!/usr/bin/env bash
# Command one: install what is missing, build, run the offline demo job
# (jobs/demo.toml: 2,000 synthetic posts through every stage into var/demo/),
# release the closed weeks, and print the released table. Safe to run again:
# a second run fetches nothing new and prints the same stored release.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" dev
cli="$root/build/dev/tools/peerpulse"
"$cli" ingest "$root/jobs/demo.toml"
echo
echo "Released cells (distinct authors per week x community x condition x need; cells under 11 authors are never released):"
"$cli" query --job "$root/jobs/demo.toml" --by window,community,condition,need
