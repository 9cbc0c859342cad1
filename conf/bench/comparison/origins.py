"""Accuracy by plan origin at each rung of a search whose every plan ran at every rung
(conf/bench/fidelity.conf): per MACs budget and rung, the best and the mean validation accuracy of
the uniform, random and sensitivity plans, with the rung's binomial error.

    /usr/bin/python3 conf/bench/comparison/origins.py target/bench/fidelity
"""
import sys

import pandas as pd


def main():
    rows = pd.read_csv(f"{sys.argv[1]}/results.csv")
    rows = rows[(rows.status == "ok") & rows.origin.isin(["uniform", "random", "sensitivity"])]
    print("| budget | rung (images) | origin | plans | best val. acc. | mean val. acc. | error of one |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for share in (0.5, 0.33):
        at = rows[(rows.macs_share <= share + 1e-9) & (rows.macs_share > share - 0.05)]
        for budget in sorted(at.budget.unique()):
            for origin in ("uniform", "random", "sensitivity"):
                part = at[(at.budget == budget) & (at.origin == origin)]
                if part.empty:
                    continue
                print(f"| {share:.0%} | {budget} | {origin} | {len(part)} | {100 * part.val_accuracy.max():.2f} |"
                      f" {100 * part.val_accuracy.mean():.2f} | {100 * part.val_error.mean():.2f} |")


if __name__ == "__main__":
    main()
