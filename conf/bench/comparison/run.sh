#!/usr/bin/env bash
# Reruns the whole comparison of BENCHMARKS.md, "Results a user would pay for": for each seed the
# search (with the final finetune of its winners and of the best uniform plans on the first
# FINAL_SEEDS seeds) and the two baselines, then the table. About 25 minutes per seed on 2 cores,
# and 20 more for each seed's final finetune.
#   conf/bench/comparison/run.sh [SEEDS] [FINAL_SEEDS] [OUT]     (defaults: "1 2 3 4 5", 3, target/bench/comparison)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
seeds="${1:-1 2 3 4 5}"
final_seeds="${2:-3}"
out="${3:-target/bench/comparison}"
mkdir -p "$(dirname "$out")"
n=0
for s in $seeds; do
  n=$((n + 1))
  final=()
  if [ "$n" -le "$final_seeds" ]; then
    final=(--set 'final.macs-budgets=[0.5, 0.33]')
  fi
  for arm in search uniform random; do
    extra=()
    [ "$arm" = search ] && extra=("${final[@]}")
    bin/depprune search --config "conf/bench/comparison/$arm.conf" --set "seed=$s" "${extra[@]}" \
      --out "$out/$arm-$s" > "$out-$arm-$s.log" 2>&1 || { echo "$arm seed $s failed: see $out-$arm-$s.log"; exit 1; }
    echo "$arm seed $s: $(grep '^result ' "$out-$arm-$s.log" | head -2 | tr '\n' ' ')"
  done
done
/usr/bin/python3 conf/bench/comparison/compare.py "$out"
