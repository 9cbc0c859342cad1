package org.depprune.driver.search;

import java.util.ArrayList;
import java.util.List;
import org.moeaframework.core.NondominatedSortingPopulation;
import org.moeaframework.core.Solution;

/**
 * NSGA-II's order on results, from MOEA Framework: non-dominated rank first (by validation
 * accuracy and MACs share), then crowding distance within a rank, so a selection keeps the best
 * fronts and spreads along them. Used to promote plans between successive-halving rounds and to
 * seed the evolution.
 */
final class Ranking {
  private static final String ROW = "depprune.row";

  private Ranking() {}

  /** The best {@code count} of {@code rows} (all of them when fewer), in input order. */
  static List<ResultRow> best(List<ResultRow> rows, int count) {
    if (rows.size() <= count) {
      return List.copyOf(rows);
    }
    NondominatedSortingPopulation population = new NondominatedSortingPopulation();
    for (int i = 0; i < rows.size(); i++) {
      population.add(solution(rows.get(i), i));
    }
    population.truncate(count);
    boolean[] kept = new boolean[rows.size()];
    for (Solution s : population) {
      kept[(Integer) s.getAttribute(ROW)] = true;
    }
    List<ResultRow> best = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (kept[i]) {
        best.add(rows.get(i));
      }
    }
    return best;
  }

  /** MOEA Framework minimises: the objectives are (-accuracy, MACs share). */
  static Solution solution(ResultRow row, int index) {
    Solution s = new Solution(0, 2);
    s.setObjectives(new double[] {-row.accuracy(), row.macsShare()});
    s.setAttribute(ROW, index);
    return s;
  }
}
