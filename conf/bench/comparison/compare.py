"""The search against its baselines over seeds (BENCHMARKS.md, "Results a user would pay for").

    /usr/bin/python3 conf/bench/comparison/compare.py target/bench/comparison

Reads DIR/{search,uniform,random}-<seed>/summary.json for every seed found. Per MACs budget: each
arm's winner (its most accurate plan within the budget after the last round, chosen on
validation), its validation and test accuracy (mean and standard deviation over seeds), and the
paired differences per seed, search minus each baseline, with their mean, standard deviation and
95% confidence interval (Student's t on the per-seed differences). Then the final finetune: the
search's winner against the budget's best uniform plan after the same finetune, on the test set,
paired by seed, beside the base model's test accuracy.
"""
import glob
import json
import math
import os
import statistics
import sys

# Two-sided 95% quantiles of Student's t, by degrees of freedom.
T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
       11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086}


def interval(values):
    """Mean, standard deviation and 95% confidence interval of values (points)."""
    n = len(values)
    mean = statistics.mean(values)
    if n < 2:
        return mean, float("nan"), (float("nan"), float("nan"))
    sd = statistics.stdev(values)
    half = T95.get(n - 1, 1.96) * sd / math.sqrt(n)
    return mean, sd, (mean - half, mean + half)


def spread(values):
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{100 * statistics.mean(values):.2f} ± {100 * sd:.2f}"


def paired(label, a, b):
    """The line of per-seed differences a - b (both dicts seed -> accuracy), in points."""
    seeds = sorted(set(a) & set(b))
    if not seeds:
        return f"| {label} | - | - | - | - |"
    gaps = [100 * (a[s] - b[s]) for s in seeds]
    mean, sd, (lo, hi) = interval(gaps)
    per = ", ".join(f"{g:+.2f}" for g in gaps)
    return f"| {label} | {len(seeds)} | {mean:+.2f} ± {sd:.2f} | [{lo:+.2f}, {hi:+.2f}] | {per} |"


def main():
    root = sys.argv[1]
    seeds = sorted(int(p.rsplit("-", 1)[1]) for p in glob.glob(os.path.join(root, "search-*")) if os.path.isdir(p))
    arms = ["search", "uniform", "random"]
    val, test, plans = {}, {}, {}  # (arm, budget) -> {seed: value}
    base_val, base_test = {}, {}
    finals = {}  # (role, budget) -> {seed: test accuracy}
    final_val = {}
    for seed in seeds:
        for arm in arms:
            path = os.path.join(root, f"{arm}-{seed}", "summary.json")
            if not os.path.exists(path):
                continue
            with open(path) as f:
                summary = json.load(f)
            if arm == "search":
                base_val[seed] = summary["base"]["accuracy"]
                base_test[seed] = summary["base"].get("testAccuracy")
                for m in summary.get("finals", []):
                    key = (m["role"], round(m["macsBudget"], 4))
                    finals.setdefault(key, {})[seed] = m["testAccuracy"]
                    final_val.setdefault(key, {})[seed] = m["valAccuracy"]
            for w in summary["winners"]:
                row = w["row"]
                if row is None:
                    continue
                key = (arm, w["budget"])
                val.setdefault(key, {})[seed] = row["val_accuracy"]
                test.setdefault(key, {})[seed] = row["test_accuracy"]
                plans.setdefault(key, {})[seed] = (row["plan_id"], row["criterion"], row["origin"], row["macs_share"])
    print(f"seeds {seeds}; base model: validation {spread(list(base_val.values()))}, test "
          f"{spread([v for v in base_test.values() if v is not None])}")
    print()
    print("| budget | arm | val. acc. (mean ± sd, %) | test acc. (mean ± sd, %) | winners by seed (plan, criterion, origin, MACs) |")
    print("| --- | --- | --- | --- | --- |")
    budgets = sorted({b for (_, b) in val}, reverse=True)
    for budget in budgets:
        for arm in arms:
            v = val.get((arm, budget), {})
            t = test.get((arm, budget), {})
            p = plans.get((arm, budget), {})
            names = "; ".join(f"{p[s][0]} {p[s][1]} {p[s][2]} {100 * p[s][3]:.1f}%" for s in sorted(p))
            print(f"| {budget} | {arm} | {spread(list(v.values()))} | {spread(list(t.values()))} | {names} |")
    print()
    print("| difference (points) | seeds | mean ± sd | 95% interval | per seed |")
    print("| --- | --- | --- | --- | --- |")
    for budget in budgets:
        for arm in ("uniform", "random"):
            print(paired(f"{budget}: search - best {arm}, validation", val.get(("search", budget), {}),
                         val.get((arm, budget), {})))
            print(paired(f"{budget}: search - best {arm}, test", test.get(("search", budget), {}),
                         test.get((arm, budget), {})))
        print(paired(f"{budget}: base - search, validation", base_val, val.get(("search", budget), {})))
    if finals:
        print()
        print("After the final finetune (test accuracy, %; the base model's test accuracy "
              f"{spread([v for v in base_test.values() if v is not None])}):")
        print()
        print("| budget | search's winner (mean ± sd) | best uniform plan (mean ± sd) | winner - base (mean ± sd) |")
        print("| --- | --- | --- | --- |")
        lines = []
        for (role, budget) in sorted({k for k in finals if k[0] == "search"}, key=lambda k: -k[1]):
            s = finals[("search", budget)]
            u = finals.get(("uniform", budget), {})
            gap = [100 * (s[x] - base_test[x]) for x in s if base_test.get(x) is not None]
            g = f"{statistics.mean(gap):+.2f} ± {statistics.stdev(gap) if len(gap) > 1 else 0:.2f}" if gap else "-"
            print(f"| {100 * budget:.0f}% | {spread(list(s.values()))} | {spread(list(u.values()))} | {g} |")
            lines.append(paired(f"{100 * budget:.0f}%: winner - best uniform, test", s, u))
            lines.append(paired(f"{100 * budget:.0f}%: winner - base, test", s, base_test))
        print()
        print("| difference (points) | seeds | mean ± sd | 95% interval | per seed |")
        print("| --- | --- | --- | --- | --- |")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
