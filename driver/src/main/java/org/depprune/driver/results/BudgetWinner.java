package org.depprune.driver.results;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.depprune.driver.config.SearchConfig.Budget;

/**
 * A budget's winner: the most accurate plan of the last round that fits the budget (ties: the
 * lower trial id), with its test accuracy once scored; none when no plan of the last round fits.
 *
 * @param budget how the budget reads, e.g. {@code macs<=50%}
 * @param row the winning row, or null
 */
public record BudgetWinner(String budget, ResultRow row) {
  /** {@code budget}'s winner among {@code lastRound}. */
  public static BudgetWinner of(Budget budget, List<ResultRow> lastRound) {
    Optional<ResultRow> best = lastRound.stream().filter(r -> r.ok() && Objectives.fits(r, budget))
        .min(Comparator.comparingDouble((ResultRow r) -> -r.accuracy()).thenComparing(ResultRow::trialId));
    return new BudgetWinner(budget.label(), best.orElse(null));
  }

  /** This winner with its row replaced by {@code updated}'s version of it (same trial, scored). */
  public BudgetWinner scored(List<ResultRow> updated) {
    if (row == null) {
      return this;
    }
    return new BudgetWinner(budget, updated.stream().filter(r -> r.trialId().equals(row.trialId())).findFirst()
        .orElse(row));
  }
}
