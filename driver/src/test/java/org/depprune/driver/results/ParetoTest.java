package org.depprune.driver.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.depprune.driver.results.Pareto.Point;
import org.depprune.driver.testing.RowsForTests;
import org.junit.jupiter.api.Test;

class ParetoTest {
  // accuracy, MACs share
  static final List<Point> TABLE = List.of(
      new Point(0.90, 0.60), // 0: front
      new Point(0.85, 0.30), // 1: front
      new Point(0.84, 0.40), // 2: dominated by 1
      new Point(0.92, 0.90), // 3: front
      new Point(0.70, 0.20), // 4: front
      new Point(0.85, 0.35), // 5: dominated by 1 (same accuracy, more MACs)
      new Point(0.60, 0.95), // 6: dominated by everything on the front
      new Point(0.85, 0.30)); // 7: equal to 1: kept as well

  @Test
  void theFrontOfAHandMadeTableIsExact() {
    assertEquals(List.of(4, 1, 7, 0, 3), Pareto.front(TABLE));
  }

  @Test
  void hypervolumeIsTheAreaOfTheStaircase() {
    // Against (0.5, 1.0): strips [0.2,0.3) x 0.2, [0.3,0.6) x 0.35, [0.6,0.9) x 0.4, [0.9,1.0) x 0.42.
    double expected = 0.1 * 0.2 + 0.3 * 0.35 + 0.3 * 0.4 + 0.1 * 0.42;
    assertEquals(expected, Pareto.hypervolume(TABLE, new Point(0.5, 1.0)), 1e-12);
    // Points below the accuracy floor or above the MACs ceiling add nothing.
    assertEquals(0.1 * (0.92 - 0.9), Pareto.hypervolume(TABLE, new Point(0.9, 1.0)), 1e-12);
    assertEquals(0.0, Pareto.hypervolume(List.of(new Point(0.4, 0.5)), new Point(0.5, 1.0)));
  }

  @Test
  void threeObjectivesGiveTheVolumeMoeaFrameworkComputes() {
    // Two boxes against the reference (accuracy 0, shares 1): (acc 0.8, macs 0.5, latency 0.6) and
    // (acc 0.6, macs 0.2, latency 0.9). Union = 0.8*0.5*0.4 + 0.6*0.8*0.1 - overlap 0.6*0.5*0.1.
    List<double[]> points = List.of(new double[] {-0.8, 0.5, 0.6}, new double[] {-0.6, 0.2, 0.9});
    double expected = 0.8 * 0.5 * 0.4 + 0.6 * 0.8 * 0.1 - 0.6 * 0.5 * 0.1;
    assertEquals(expected, Pareto.hypervolumeOf(points, new double[] {0, 1, 1}), 1e-9);
    // A dominated point adds nothing; a point outside the reference adds nothing.
    List<double[]> more = List.of(points.get(0), points.get(1), new double[] {-0.5, 0.6, 0.7},
        new double[] {-0.99, 1.2, 0.1});
    assertEquals(expected, Pareto.hypervolumeOf(more, new double[] {0, 1, 1}), 1e-9);
    // Two objectives: the staircase.
    assertEquals(Pareto.hypervolume(TABLE, new Point(0.5, 1.0)), Pareto.hypervolumeOf(
        TABLE.stream().map(p -> new double[] {-p.accuracy(), p.macs()}).toList(), new double[] {-0.5, 1.0}), 1e-12);
  }

  @Test
  void aThreeObjectiveFrontKeepsWhatIsBestInAnyCost() {
    // b has more MACs than a but less latency: both on the front; c is dominated by a.
    List<double[]> points = List.of(new double[] {-0.9, 0.3, 0.8}, new double[] {-0.9, 0.4, 0.5},
        new double[] {-0.85, 0.35, 0.9});
    assertEquals(List.of(0, 1), Pareto.frontOf(points));
  }

  @Test
  void dominanceIsNoWorseInBothAndBetterInOne() {
    assertEquals(true, TABLE.get(1).dominates(TABLE.get(2)));
    assertEquals(true, TABLE.get(1).dominates(TABLE.get(5)), "same accuracy, fewer MACs");
    assertEquals(false, TABLE.get(1).dominates(TABLE.get(7)), "equal points do not dominate each other");
    assertEquals(false, TABLE.get(0).dominates(TABLE.get(3)), "a trade-off");
  }

  @Test
  void rankingPromotesTheFrontFirstThenTheSpread() {
    List<ResultRow> rows = TABLE.stream().map(p -> RowsForTests.row(p.accuracy(), p.macs())).toList();
    List<ResultRow> best = Pareto.best(rows, 5);
    assertEquals(List.of(0, 1, 3, 4, 7), best.stream().map(rows::indexOf).toList());
    // Of the front's five, the four kept include both extremes (infinite crowding distance).
    List<Integer> four = Pareto.best(rows, 4).stream().map(rows::indexOf).toList();
    assertEquals(4, four.size());
    assertEquals(true, four.contains(3) && four.contains(4));
    assertEquals(rows, Pareto.best(rows, 20));
  }
}
