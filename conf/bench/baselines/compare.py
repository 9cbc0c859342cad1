"""The search against its baselines, over seeds (BENCHMARKS.md, "Search against baselines").

    /usr/bin/python3 conf/bench/baselines/compare.py target/bench/baselines

Reads DIR/{search,uniform,random}-<seed>/summary.json and results.csv for every seed found. For
each budget: the winner's validation accuracy (mean and standard deviation over seeds) and its
test accuracy (scored once, at the end of each run), and the finetune images each run spent.
"""
import glob
import json
import os
import statistics
import sys

import pandas as pd


def load(directory):
    with open(os.path.join(directory, "summary.json")) as f:
        summary = json.load(f)
    rows = pd.read_csv(os.path.join(directory, "results.csv"))
    return summary, rows


def spread(values):
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    mean = statistics.mean(values)
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{100 * mean:.2f} ± {100 * sd:.2f}"


def main():
    root = sys.argv[1]
    seeds = sorted(int(p.rsplit("-", 1)[1]) for p in glob.glob(os.path.join(root, "search-*")) if os.path.isdir(p))
    arms = ["search", "uniform", "random"]
    winners = {}  # (arm, budget) -> list of (val, test, plan, criterion, macs)
    images = {arm: [] for arm in arms}
    base = []
    for seed in seeds:
        for arm in arms:
            directory = os.path.join(root, f"{arm}-{seed}")
            if not os.path.exists(os.path.join(directory, "summary.json")):
                continue
            summary, rows = load(directory)
            ok = rows[rows.status == "ok"]
            images[arm].append(int(ok.budget.sum()))
            if arm == "search":
                base.append(summary["base"]["accuracy"])
            for w in summary["winners"]:
                row = w["row"]
                winners.setdefault((arm, w["budget"]), []).append(
                    (row["val_accuracy"], row["test_accuracy"], row["plan_id"], row["criterion"], row["macs_share"],
                     row["origin"]) if row else None)
    print(f"seeds {seeds}; base model validation accuracy {spread(base)}")
    print("finetune images per run: " + ", ".join(
        f"{arm} {statistics.mean(v):,.0f}" for arm, v in images.items() if v))
    print()
    print("| budget | arm | val. acc. (mean ± sd, %) | test acc. (mean ± sd, %) | winners (plan, criterion, origin, MACs) |")
    print("| --- | --- | --- | --- | --- |")
    budgets = sorted({b for (_, b) in winners}, reverse=True)
    for budget in budgets:
        for arm in arms:
            found = [w for w in winners.get((arm, budget), []) if w]
            plans = "; ".join(f"{w[2]} {w[3]} {w[5]} {100 * w[4]:.1f}%" for w in found)
            print(f"| {budget} | {arm} | {spread([w[0] for w in found])} | {spread([w[1] for w in found])} | {plans} |")
    print()
    for budget in budgets:
        search = [w[0] for w in winners.get(("search", budget), []) if w]
        for arm in ("uniform", "random"):
            other = [w[0] for w in winners.get((arm, budget), []) if w]
            n = min(len(search), len(other))
            if n:
                gaps = [100 * (search[i] - other[i]) for i in range(n)]
                sd = statistics.stdev(gaps) if n > 1 else 0.0
                print(f"{budget}: search - best {arm}: {statistics.mean(gaps):+.2f} ± {sd:.2f} points of validation"
                      f" accuracy (per seed: {', '.join(f'{g:+.2f}' for g in gaps)})")
        if base and search:
            drops = [100 * (base[i] - search[i]) for i in range(min(len(base), len(search)))]
            print(f"{budget}: base - search: {statistics.mean(drops):.2f} ± "
                  f"{statistics.stdev(drops) if len(drops) > 1 else 0:.2f} points")


if __name__ == "__main__":
    main()
