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
 * behind for one that does not. Without budgets, the rows go by NSGA-II's order (Pareto rank,
 * then crowding) on the search's objectives.
 */
final class Promotion {
  private Promotion() {}

  /** The {@code keep} rows to promote, in the order they were picked. */
  static List<ResultRow> promote(List<ResultRow> rows, int keep, List<Budget> budgets, Objectives objectives) {
    if (budgets.isEmpty()) {
      return Pareto.best(rows, keep, objectives::minimized);
    }
    List<List<ResultRow>> rankings = budgets.stream().map(b -> ranking(rows, b)).toList();
    Set<ResultRow> picked = new LinkedHashSet<>();
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

  /** {@code rows} as {@code budget} ranks them: fitting by accuracy, then the rest by excess; ties by trial id. */
  static List<ResultRow> ranking(List<ResultRow> rows, Budget budget) {
    Comparator<ResultRow> order = Comparator
        .comparing((ResultRow r) -> !Objectives.fits(r, budget))
        .thenComparingDouble(r -> Objectives.fits(r, budget) ? -r.accuracy() : Objectives.violation(r, budget))
        .thenComparing(ResultRow::trialId);
    return rows.stream().sorted(order).toList();
  }
}
