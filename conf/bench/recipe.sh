#!/usr/bin/env bash
# The recipes of BENCHMARKS.md ("the recipe"), each a search of conf/bench/recipe.conf: the uniform
# hessian plan at 50% MACs and the unpruned base (the recipe check, whose failure is expected for
# some recipes and is reported, not fatal), finetuned on 4,096 images and on a whole pass.
#   conf/bench/recipe.sh [OUT] [SEEDS]       (defaults: target/bench/recipe, "1 2")
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="${1:-target/bench/recipe}"
seeds="${2:-1 2}"
mkdir -p "$out"
# name: the keys that make the recipe
recipes=(
  "from-scratch-constant:finetune.lr-factor=6 finetune.schedule=constant"
  "from-scratch-cosine:finetune.lr-factor=6"
  "end-x3-cosine:finetune.lr-factor=3"
  "end-x2-cosine:finetune.lr-factor=2"
  "end-x1-cosine:finetune.lr-factor=1"
  "end-x3-cosine-distill:finetune.lr-factor=3 recovery.distill=on"
)
for s in $seeds; do
  for budget in 4096 epoch; do
    for r in "${recipes[@]}"; do
      name="${r%%:*}"
      sets=()
      for kv in ${r#*:}; do sets+=(--set "$kv"); done
      dir="$out/$name-$budget-$s"
      bin/depprune search --config conf/bench/recipe.conf --set "seed=$s" --set "halving.budgets=[$budget]" \
        "${sets[@]}" --out "$dir" > "$dir.log" 2>&1
      echo "$name $budget seed $s: $(grep -E '^\[guard\]|search.finetune: finetuning' "$dir.log" | head -1 | cut -c1-160)"
      if ! grep -q '"origin":"uniform"' "$dir/results.jsonl"; then
        # The check stopped the search: the plan's row comes from the same search without the check.
        bin/depprune search --config conf/bench/recipe.conf --set "seed=$s" --set "halving.budgets=[$budget]" \
          "${sets[@]}" --set finetune.guard=off --out "$dir-plan" > "$dir-plan.log" 2>&1
      fi
    done
  done
done
/usr/bin/python3 conf/bench/recipe.py "$out"
