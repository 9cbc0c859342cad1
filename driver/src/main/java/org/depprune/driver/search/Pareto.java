package org.depprune.driver.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Two-objective Pareto arithmetic on (accuracy, MACs share) points: accuracy higher is better,
 * MACs lower is better. A point dominates another when it is no worse in both and better in one.
 */
final class Pareto {
  private Pareto() {}

  /** One plan's objectives. */
  record Point(double accuracy, double macs) {
    boolean dominates(Point o) {
      return accuracy >= o.accuracy && macs <= o.macs && (accuracy > o.accuracy || macs < o.macs);
    }
  }

  /** Indices of the non-dominated points, by increasing MACs. Equal points are all kept. */
  static List<Integer> front(List<Point> points) {
    List<Integer> front = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      boolean dominated = false;
      for (int j = 0; j < points.size() && !dominated; j++) {
        dominated = j != i && points.get(j).dominates(points.get(i));
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
  static double hypervolume(List<Point> points, Point reference) {
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
}
