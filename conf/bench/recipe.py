"""The recipe table of BENCHMARKS.md from conf/bench/recipe.sh's runs.

    /usr/bin/python3 conf/bench/recipe.py target/bench/recipe

For each recipe and budget: the unpruned base model's validation accuracy after the finetune (the
recipe check's row) and the uniform hessian plan's at 50% MACs, mean over seeds, with the binomial
error of one run.
"""
import collections
import glob
import json
import os
import statistics
import sys


def main():
    root = sys.argv[1]
    table = collections.defaultdict(lambda: {"base": [], "plan": [], "se": []})
    base_val = None
    for path in sorted(glob.glob(os.path.join(root, "*", "results.jsonl"))):
        name = os.path.basename(os.path.dirname(path))
        name = name[:-len("-plan")] if name.endswith("-plan") else name
        recipe, budget, _seed = name.rsplit("-", 2)
        for line in open(path):
            row = json.loads(line)
            if row["status"] != "ok":
                continue
            key = (recipe, budget)
            if row["origin"] == "guard":
                table[key]["base"].append(row["val_accuracy"])
            else:
                table[key]["plan"].append(row["val_accuracy"])
                table[key]["se"].append(row["val_error"])
        base_json = os.path.join(os.path.dirname(path), "base.json")
        if os.path.exists(base_json):
            base_val = json.load(open(base_json))["accuracy"]
    print(f"base model before any finetune: {100 * base_val:.2f}% validation accuracy")
    print("| recipe | budget | unpruned base after it (%) | uniform hessian, 50% MACs (%) | seeds | error of one run |")
    print("| --- | --- | --- | --- | --- | --- |")
    for (recipe, budget), v in sorted(table.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        fmt = lambda xs: f"{100 * statistics.mean(xs):.2f}" + (f" ({', '.join(f'{100 * x:.2f}' for x in xs)})" if len(xs) > 1 else "") if xs else "-"
        print(f"| {recipe} | {budget} | {fmt(v['base'])} | {fmt(v['plan'])} | {len(v['plan'])} |"
              f" {100 * statistics.mean(v['se']):.2f} |" if v["se"] else f"| {recipe} | {budget} | {fmt(v['base'])} | - | 0 | - |")


if __name__ == "__main__":
    main()
