"""Rank correlation of cheap rungs with the longest finetune (BENCHMARKS.md, "Search against baselines").

    /usr/bin/python3 conf/bench/rank_correlation.py RUNG_DIR [PLAIN_DIR]

RUNG_DIR holds a search whose every plan ran at every budget (conf/bench/rung.conf); PLAIN_DIR
optionally the same plans' budget-0 rung without batch-norm recalibration. For each cheaper rung:
Spearman's rho and Kendall's tau-b of its validation accuracy with the accuracy at the longest
budget, over all plans and per MACs budget, and how often the rung's best plan is the long run's.
"""
import sys

import pandas as pd
from scipy.stats import kendalltau, spearmanr


def rows(directory):
    table = pd.read_csv(f"{directory}/results.csv")
    return table[table.status == "ok"]


def compare(name, cheap, longest):
    both = cheap.merge(longest, on="plan_id", suffixes=("_cheap", "_long"))
    out = []
    for group, part in [("all", both)] + [
        (f"~{share:.0%} MACs", both[(both.macs_share - share).abs() < 0.03]) for share in (0.5, 0.33)
    ]:
        if len(part) < 3:
            continue
        rho = spearmanr(part.val_accuracy_cheap, part.val_accuracy_long).correlation
        tau = kendalltau(part.val_accuracy_cheap, part.val_accuracy_long).correlation
        best_cheap = part.loc[part.val_accuracy_cheap.idxmax()]
        long_rank = int((part.val_accuracy_long > best_cheap.val_accuracy_long).sum()) + 1
        out.append(f"| {name} | {group} | {len(part)} | {rho:.3f} | {tau:.3f} | {long_rank} of {len(part)} |")
    return out


def main():
    table = rows(sys.argv[1])
    budgets = sorted(table.budget.unique())
    longest = table[table.budget == budgets[-1]][["plan_id", "val_accuracy", "macs_share"]]
    print(f"longest budget: {budgets[-1]} images, {len(longest)} plans")
    print("| rung | plans | n | Spearman rho | Kendall tau | rung's best plan, ranked after the longest budget |")
    print("| --- | --- | --- | --- | --- | --- |")
    for b in budgets[:-1]:
        label = "prune + batch-norm recalibration" if b == 0 else f"finetune {b} images"
        for line in compare(label, table[table.budget == b][["plan_id", "val_accuracy"]], longest):
            print(line)
    if len(sys.argv) > 2:
        plain = rows(sys.argv[2])
        plain = plain[plain.budget == 0][["plan_id", "val_accuracy"]]
        for line in compare("prune only (no recalibration)", plain, longest):
            print(line)


if __name__ == "__main__":
    main()
