package org.depprune.driver.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.depprune.driver.config.SearchConfig.Budget;
import org.depprune.driver.config.SearchConfig.Objective;
import org.depprune.driver.results.BaseMetrics;
import org.depprune.driver.results.BudgetWinner;
import org.depprune.driver.results.Objectives;
import org.depprune.driver.results.ResultRow;
import org.depprune.driver.testing.RowsForTests;
import org.junit.jupiter.api.Test;

/** Promotion with budgets: plans that fit first, by accuracy; budgets take turns. */
class PromotionTest {
  private static final Objectives OBJECTIVES = Objectives.accuracyAndMacs(new BaseMetrics(0.9, 1000, 100, 10));
  private static final Budget HALF = new Budget(Objective.MACS, 0.5);
  private static final Budget THIRD = new Budget(Objective.MACS, 0.33);

  // Hand-made rows: (accuracy, MACs share).
  private final ResultRow overBest = RowsForTests.row(0.95, 0.80); // the most accurate, over both budgets
  private final ResultRow overNear = RowsForTests.row(0.94, 0.52); // just over 50%
  private final ResultRow half1 = RowsForTests.row(0.90, 0.50); // fits 50% exactly
  private final ResultRow half2 = RowsForTests.row(0.88, 0.45);
  private final ResultRow third1 = RowsForTests.row(0.86, 0.33);
  private final ResultRow third2 = RowsForTests.row(0.80, 0.20);
  private final List<ResultRow> rows = List.of(overBest, overNear, half1, half2, third1, third2);

  @Test
  void aBudgetRanksThePlansThatFitByAccuracyThenTheRestByExcess() {
    assertEquals(List.of(half1, half2, third1, third2, overNear, overBest), Promotion.ranking(rows, HALF));
    assertEquals(List.of(third1, third2, half2, half1, overNear, overBest), Promotion.ranking(rows, THIRD));
  }

  @Test
  void promotionKeepsFeasiblePlansFirstAndGivesEachBudgetItsTurn() {
    // One budget: the two that fit, never the more accurate ones over it.
    assertEquals(List.of(half1, half2), Promotion.promote(rows, 2, List.of(HALF), OBJECTIVES));
    // Two budgets take turns: 50%'s best, 33%'s best, 50%'s second, 33%'s second (third2).
    assertEquals(List.of(half1, third1, half2, third2), Promotion.promote(rows, 4, List.of(HALF, THIRD), OBJECTIVES));
    // More places than feasible plans: the feasible ones, then the least over the budget.
    List<ResultRow> five = Promotion.promote(rows, 5, List.of(THIRD), OBJECTIVES);
    assertEquals(List.of(third1, third2), five.subList(0, 2));
    assertEquals(List.of(half2, half1, overNear), five.subList(2, 5), "then by how far over 33%: 45%, 50%, 52%");
  }

  @Test
  void withoutBudgetsPromotionGoesByParetoRank() {
    List<ResultRow> best = Promotion.promote(rows, 3, List.of(), OBJECTIVES);
    assertEquals(3, best.size());
    // overBest (most accurate) and third2 (fewest MACs) are on the first front: both kept.
    assertTrue(best.contains(overBest) && best.contains(third2), best.toString());
  }

  @Test
  void aBudgetsWinnerIsItsMostAccurateFittingPlan() {
    assertEquals(half1, BudgetWinner.of(HALF, rows).row());
    assertEquals(third1, BudgetWinner.of(THIRD, rows).row());
    assertNull(BudgetWinner.of(new Budget(Objective.MACS, 0.1), rows).row(), "nothing fits 10%");
    ResultRow big = RowsForTests.row(0.9, 0.5, 80, 1.0);
    ResultRow small = RowsForTests.row(0.7, 0.5, 40, 3.0);
    assertEquals(small, BudgetWinner.of(new Budget(Objective.PARAMS, 50), List.of(big, small)).row(), "params");
    assertEquals(big, BudgetWinner.of(new Budget(Objective.LATENCY, 2), List.of(big, small)).row(), "latency");
  }

  @Test
  void eachBudgetKeepsItsBestUniformPlanAndTheUniformPlansNotShownDominated() {
    // 2,000 validation examples: an accuracy near 0.9 has an error of about 0.0067, a difference
    // of two such about 0.0095; "dominated" is more than two of those behind the budget's best.
    ResultRow searched1 = RowsForTests.row(0.930, 0.49, "random", 2000);
    ResultRow searched2 = RowsForTests.row(0.928, 0.48, "evolution", 2000);
    ResultRow searched3 = RowsForTests.row(0.926, 0.47, "random", 2000);
    ResultRow close = RowsForTests.row(0.920, 0.48, "uniform", 2000); // 1.0 pt behind: within two errors
    ResultRow alsoClose = RowsForTests.row(0.915, 0.48, "uniform", 2000); // 1.5 pt: within
    ResultRow beaten = RowsForTests.row(0.880, 0.48, "uniform", 2000); // 5 pt: dominated
    List<ResultRow> round = List.of(searched1, searched2, searched3, close, alsoClose, beaten);
    assertTrue(Promotion.dominated(beaten, searched1));
    assertTrue(!Promotion.dominated(alsoClose, searched1));

    // Four places: the best uniform plan and (up to half the share) another undominated one come first.
    assertEquals(List.of(close, alsoClose, searched1, searched2), Promotion.promote(round, 4, List.of(HALF), OBJECTIVES));
    // Two places: the best uniform plan is always kept, then the most accurate.
    assertEquals(List.of(close, searched1), Promotion.promote(round, 2, List.of(HALF), OBJECTIVES));
    // A dominated uniform plan is not kept for being uniform: with the others gone it ranks last.
    List<ResultRow> six = Promotion.promote(round, 6, List.of(HALF), OBJECTIVES);
    assertEquals(beaten, six.get(5));
    assertEquals(List.of(close, alsoClose), Promotion.keptUniform(round, HALF, 3));
  }
}
