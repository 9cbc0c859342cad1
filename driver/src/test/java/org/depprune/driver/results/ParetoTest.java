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
