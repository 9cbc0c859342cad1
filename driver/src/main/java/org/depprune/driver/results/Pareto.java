package org.depprune.driver.results;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.moeaframework.core.NondominatedPopulation;
import org.moeaframework.core.NondominatedSortingPopulation;
import org.moeaframework.core.Problem;
import org.moeaframework.core.indicator.Hypervolume;
import org.moeaframework.problem.AbstractProblem;
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
    return frontOf(points.stream().map(p -> new double[] {-p.accuracy(), p.macs()}).toList());
  }

  /**
   * Indices of the non-dominated vectors of objectives to minimise ({@code (-accuracy, cost, ...)}),
   * by increasing first cost, then index. Equal vectors are all kept.
   */
  public static List<Integer> frontOf(List<double[]> objectives) {
    List<Solution> solutions = objectives.stream().map((double[] v) -> solution(v)).toList();
    List<Integer> front = new ArrayList<>();
    for (int i = 0; i < objectives.size(); i++) {
      boolean dominated = false;
      for (int j = 0; j < objectives.size() && !dominated; j++) {
        dominated = j != i && DOMINANCE.compare(solutions.get(j), solutions.get(i)) < 0;
      }
      if (!dominated) {
        front.add(i);
      }
    }
    front.sort(Comparator.comparingDouble((Integer i) -> objectives.get(i)[1]).thenComparing(i -> i));
    return front;
  }

  /**
   * The hypervolume of minimised objective vectors {@code (-accuracy, cost share, ...)} against
   * {@code reference} (the accuracy floor as {@code -floor}, then a share ceiling per cost). Two
   * objectives: the staircase area, as {@link #hypervolume(List, Point)}. Three: MOEA Framework's
   * {@link Hypervolume} (its exact algorithm for few objectives), on objectives normalised so that
   * the reference is 1 and the best possible point (accuracy 1, cost 0) is 0, then scaled back,
   * so the number is a volume in the objectives' own units.
   */
  public static double hypervolumeOf(List<double[]> objectives, double[] reference) {
    if (reference.length == 2) {
      return hypervolume(objectives.stream().map(v -> new Point(-v[0], v[1])).toList(),
          new Point(-reference[0], reference[1]));
    }
    double[] ideal = new double[reference.length];
    ideal[0] = -1;
    double scale = 1;
    for (int k = 0; k < reference.length; k++) {
      scale *= reference[k] - ideal[k];
    }
    NondominatedPopulation set = new NondominatedPopulation(DOMINANCE);
    for (double[] v : objectives) {
      boolean inside = true;
      for (int k = 0; k < v.length; k++) {
        inside &= v[k] < reference[k];
      }
      if (inside) {
        set.add(solution(v));
      }
    }
    if (set.isEmpty()) {
      return 0;
    }
    Problem shape = new AbstractProblem(0, reference.length) {
      @Override
      public void evaluate(Solution solution) {}

      @Override
      public Solution newSolution() {
        return new Solution(0, reference.length);
      }
    };
    return new Hypervolume(shape, ideal, reference).evaluate(set) * scale;
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
    return best(rows, count, r -> new double[] {-r.accuracy(), r.macsShare()});
  }

  /** {@link #best(List, int)} on the objectives {@code objectives} gives each row (to minimise). */
  public static List<ResultRow> best(List<ResultRow> rows, int count, Function<ResultRow, double[]> objectives) {
    if (rows.size() <= count) {
      return List.copyOf(rows);
    }
    NondominatedSortingPopulation population = new NondominatedSortingPopulation(DOMINANCE);
    for (int i = 0; i < rows.size(); i++) {
      Solution s = solution(objectives.apply(rows.get(i)));
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
    return solution(new double[] {-p.accuracy(), p.macs()});
  }

  static Solution solution(double[] minimized) {
    Solution s = new Solution(0, minimized.length);
    s.setObjectives(minimized);
    return s;
  }
}
