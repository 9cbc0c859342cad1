package org.depprune.driver.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.depprune.driver.config.SearchConfig.Budget;
import org.depprune.driver.results.Objectives;
import org.depprune.driver.results.Pareto;
import org.depprune.driver.results.ResultRow;

/**
 * Which rows of a successive-halving round go on to the next.
 *
 * <p>With budgets, each budget ranks the rows: those that fit it by validation accuracy (best
 * first), then those over it by how far over. The budgets take turns picking their best row not
 * yet picked, so every budget gets its share of the next round and a plan that fits is never left
 * behind for one that does not. Uniform plans (the plans a user would pick by hand) are kept
 * longer: each budget's share starts with its best uniform plan that fits, then, up to half the
 * share, the other fitting uniform plans that this round has not shown dominated (a plan of the
 * budget more accurate by more than {@value #Z} standard errors of the difference), best first.
 * An early rung ranks plans with noise and with its own bias (a short finetune favours plans that
 * recover fast), and this keeps the hand-picked baseline in the race until the evidence is against
 * it, within the same number of plans. Without budgets, the rows go by NSGA-II's order (Pareto
 * rank, then crowding) on the search's objectives.
 */
final class Promotion {
  /** Standard errors of the accuracy difference by which a uniform plan must trail to be dropped early. */
  static final double Z = 2.0;

  private Promotion() {}

  /** The {@code keep} rows to promote, in the order they were picked. */
  static List<ResultRow> promote(List<ResultRow> rows, int keep, List<Budget> budgets, Objectives objectives) {
    if (budgets.isEmpty()) {
      return Pareto.best(rows, keep, objectives::minimized);
    }
    List<List<ResultRow>> rankings = budgets.stream().map(b -> ranking(rows, b)).toList();
    Set<ResultRow> picked = new LinkedHashSet<>();
    int share = Math.max(1, keep / budgets.size());
    for (int b = 0; b < budgets.size(); b++) {
      List<ResultRow> kept = keptUniform(rows, budgets.get(b), Math.max(1, share / 2));
      for (ResultRow r : kept) {
        if (picked.size() < keep) {
          picked.add(r);
        }
      }
    }
    int[] next = new int[budgets.size()];
    while (picked.size() < Math.min(keep, rows.size())) {
      for (int b = 0; b < budgets.size() && picked.size() < keep; b++) {
        List<ResultRow> ranking = rankings.get(b);
        while (next[b] < ranking.size() && picked.contains(ranking.get(next[b]))) {
          next[b]++;
        }
        if (next[b] < ranking.size()) {
          picked.add(ranking.get(next[b]++));
        }
      }
    }
    return new ArrayList<>(picked);
  }

  /**
   * The uniform plans {@code budget} keeps, best first, at most {@code most}: its best fitting uniform
   * plan, then the fitting ones the round has not shown dominated.
   */
  static List<ResultRow> keptUniform(List<ResultRow> rows, Budget budget, int most) {
    List<ResultRow> fitting = ranking(rows, budget).stream().filter(r -> Objectives.fits(r, budget)).toList();
    if (fitting.isEmpty()) {
      return List.of();
    }
    ResultRow best = fitting.get(0);
    List<ResultRow> kept = new ArrayList<>();
    for (ResultRow r : fitting) {
      if (!r.origin().equals("uniform") || kept.size() >= most) {
        continue;
      }
      if (kept.isEmpty() || !dominated(r, best)) {
        kept.add(r);
      }
    }
    return kept;
  }

  /** Whether {@code best} is more accurate than {@code r} by more than {@link #Z} standard errors of the difference. */
  static boolean dominated(ResultRow r, ResultRow best) {
    double se = Math.hypot(r.accuracyError(), best.accuracyError());
    return !Double.isNaN(se) && best.accuracy() - r.accuracy() > Z * se;
  }

  /** {@code rows} as {@code budget} ranks them: fitting by accuracy, then the rest by excess; ties by trial id. */
  static List<ResultRow> ranking(List<ResultRow> rows, Budget budget) {
    Comparator<ResultRow> order = Comparator
        .comparing((ResultRow r) -> !Objectives.fits(r, budget))
        .thenComparingDouble(r -> Objectives.fits(r, budget) ? -r.accuracy() : Objectives.violation(r, budget))
        .thenComparing(ResultRow::trialId);
    return rows.stream().sorted(order).toList();
  }
}
