#!/usr/bin/env bash
# The final finetune's settings compared on one finished search (BENCHMARKS.md, "Results a user
# would pay for", the final finetune): each variant runs the final stage again on a copy of the
# search's output (the final keys are not part of the config hash, so only that stage runs), for
# the front's most accurate plan at <= 50% MACs. The one-worker variants use one core each, so
# they run two at a time; the data-parallel one has both cores.
#   conf/bench/final-variants.sh SEARCH_DIR CONFIG [OUT]     (e.g. target/bench/fidelity conf/bench/fidelity.conf)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
search="$1"
config="$2"
out="${3:-target/bench/final-variants}"
mkdir -p "$out"

variant() { # name, then key=value pairs
  local name="$1"; shift
  local sets=(--set 'final.macs-budgets=[0.5]' --set final.uniform-baseline=off)
  for kv in "$@"; do sets+=(--set "$kv"); done
  local dir="$out/$name"
  rm -rf "$dir" && cp -r "$search" "$dir" && rm -rf "$dir/final"
  local start
  start=$(date +%s)
  bin/depprune search --config "$config" "${sets[@]}" --out "$dir" > "$dir.log" 2>&1
  echo "$name: $(( $(date +%s) - start )) s; $(grep -E '^  [0-9a-f]{12} \(' "$dir.log" | head -1)"
}

variant one-worker-10-distill final.workers=1 final.epochs=10 final.distill=on &
variant one-worker-10-plain final.workers=1 final.epochs=10 final.distill=off &
wait
variant one-worker-5-distill final.workers=1 final.epochs=5 final.distill=on &
variant one-worker-20-distill final.workers=1 final.epochs=20 final.distill=on &
wait
variant two-workers-10-distill final.workers=2 final.epochs=10 final.distill=on
