package org.depprune.driver.results;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.moeaframework.core.NondominatedSortingPopulation;
import org.moeaframework.core.Solution;
import org.moeaframework.core.comparator.DominanceComparator;
import org.moeaframework.core.comparator.ParetoDominanceComparator;

/**
 * Pareto arithmetic on (validation accuracy, MACs share) points, accuracy maximised and MACs
 * minimised, with one notion of dominance: MOEA Framework's ({@link ParetoDominanceComparator}),
 * the same that its NSGA-II uses in the evolution. A point dominates another when it is no
 * worse in both objectives and better in one.
 */
public final class Pareto {
  private static final DominanceComparator DOMINANCE = new ParetoDominanceComparator();
  private static final String ROW = "depprune.row";

  private Pareto() {}

  /** One plan's objectives. */
  public record Point(double accuracy, double macs) {
    /** Whether this point dominates {@code other}. */
    public boolean dominates(Point other) {
      return DOMINANCE.compare(solution(this), solution(other)) < 0;
    }
  }

  /** Indices of the non-dominated points, by increasing MACs. Equal points are all kept. */
  public static List<Integer> front(List<Point> points) {
    List<Solution> solutions = points.stream().map(Pareto::solution).toList();
    List<Integer> front = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      boolean dominated = false;
      for (int j = 0; j < points.size() && !dominated; j++) {
        dominated = j != i && DOMINANCE.compare(solutions.get(j), solutions.get(i)) < 0;
      }
      if (!dominated) {
        front.add(i);
      }
    }
    front.sort(Comparator.comparingDouble((Integer i) -> points.get(i).macs()).thenComparing(i -> i));
    return front;
  }

  /**
   * The area dominated by {@code points} and bounded by {@code reference} (an accuracy floor and
   * a MACs ceiling): the sum of the rectangles between the front's staircase and the reference.
   * Points that do not beat the reference in both objectives add nothing.
   */
  public static double hypervolume(List<Point> points, Point reference) {
    List<Point> useful = new ArrayList<>();
    for (int i : front(points)) {
      Point p = points.get(i);
      if (p.accuracy() > reference.accuracy() && p.macs() < reference.macs()) {
        useful.add(p);
      }
    }
    // By increasing MACs, the front's accuracy increases; each point adds the strip between its
    // MACs and the next point's (or the reference's), at its own height above the floor.
    double volume = 0;
    for (int k = 0; k < useful.size(); k++) {
      Point p = useful.get(k);
      double nextMacs = k + 1 < useful.size() ? useful.get(k + 1).macs() : reference.macs();
      volume += (nextMacs - p.macs()) * (p.accuracy() - reference.accuracy());
    }
    return volume;
  }

  /**
   * The best {@code count} of {@code rows} (all of them when fewer), in input order, by NSGA-II's
   * order: non-dominated rank first, then crowding distance within a rank, so a selection keeps
   * the best fronts and spreads along them. It promotes plans between successive-halving rounds
   * and seeds the evolution.
   */
  public static List<ResultRow> best(List<ResultRow> rows, int count) {
    if (rows.size() <= count) {
      return List.copyOf(rows);
    }
    NondominatedSortingPopulation population = new NondominatedSortingPopulation(DOMINANCE);
    for (int i = 0; i < rows.size(); i++) {
      Solution s = solution(rows.get(i).point());
      s.setAttribute(ROW, i);
      population.add(s);
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

  /** MOEA Framework minimises: a point's objectives are (-accuracy, MACs share). */
  static Solution solution(Point p) {
    Solution s = new Solution(0, 2);
    s.setObjectives(new double[] {-p.accuracy(), p.macs()});
    return s;
  }
}
