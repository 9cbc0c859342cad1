package org.depprune.driver.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.depprune.driver.config.SearchConfig.Budget;
import org.depprune.driver.config.SearchConfig.Objective;
import org.depprune.driver.testing.RowsForTests;
import org.junit.jupiter.api.Test;

/** A row's objectives as MOEA Framework minimises them, and its distance from a budget. */
class ObjectivesTest {
  private final BaseMetrics base = new BaseMetrics(0.9, 1000, 200, 20.0);
  private final ResultRow row = RowsForTests.row(0.8, 0.4, 50, 5.0);

  @Test
  void costsAreSharesOfTheBaseModelsAndAccuracyIsNegated() {
    var objectives = new Objectives(List.of(Objective.ACCURACY, Objective.MACS, Objective.LATENCY, Objective.PARAMS), base);
    assertArrayEquals(new double[] {-0.8, 0.4, 0.25, 0.25}, objectives.minimized(row), 1e-12);
    assertEquals(50, Objectives.value(row, Objective.PARAMS));
    assertThrows(IllegalArgumentException.class, () -> new Objectives(List.of(Objective.MACS), base));
  }

  @Test
  void aBudgetIsMetOrExceededByARelativeAmount() {
    assertTrue(Objectives.fits(row, new Budget(Objective.MACS, 0.4)));
    assertEquals(0, Objectives.violation(row, new Budget(Objective.MACS, 0.4)));
    assertFalse(Objectives.fits(row, new Budget(Objective.LATENCY, 4.0)));
    assertEquals(0.25, Objectives.violation(row, new Budget(Objective.LATENCY, 4.0)), 1e-12);
    assertEquals(1.5, Objectives.violation(row, new Budget(Objective.PARAMS, 20)), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> new Budget(Objective.ACCURACY, 0.9));
  }
}
