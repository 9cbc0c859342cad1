package org.depprune.driver.results;

import java.util.List;
import org.depprune.driver.config.SearchConfig.Budget;
import org.depprune.driver.config.SearchConfig.Objective;

/**
 * A search's objectives on its rows: validation accuracy (maximised) and one or two costs
 * (minimised), each cost also as a share of the base model's, which is what the hypervolume and
 * the budgets of MACs compare. MOEA Framework minimises, so {@link #minimized} gives
 * {@code (-accuracy, cost share, ...)}.
 */
public record Objectives(List<Objective> list, BaseMetrics base) {
  public Objectives {
    list = List.copyOf(list);
    if (list.isEmpty() || list.get(0) != Objective.ACCURACY) {
      throw new IllegalArgumentException("the first objective is accuracy, found " + list);
    }
  }

  /** Accuracy against MACs: the objectives of a search that does not say. */
  public static Objectives accuracyAndMacs(BaseMetrics base) {
    return new Objectives(List.of(Objective.ACCURACY, Objective.MACS), base);
  }

  /** Number of objectives, accuracy included. */
  public int size() {
    return list.size();
  }

  /** {@code row}'s value of {@code cost}: its MACs share, parameter count or latency in ms. */
  public static double value(ResultRow row, Objective cost) {
    return switch (cost) {
      case ACCURACY -> row.accuracy();
      case MACS -> row.macsShare();
      case PARAMS -> row.params();
      case LATENCY -> row.latencyMillis();
    };
  }

  /** {@code row}'s {@code cost} over the base model's. */
  public double share(ResultRow row, Objective cost) {
    return switch (cost) {
      case ACCURACY -> row.accuracy();
      case MACS -> row.macsShare();
      case PARAMS -> (double) row.params() / base.params();
      case LATENCY -> row.latencyMillis() / base.latencyMillis();
    };
  }

  /** What MOEA Framework minimises: {@code (-accuracy, cost share, ...)}. */
  public double[] minimized(ResultRow row) {
    double[] v = new double[list.size()];
    v[0] = -row.accuracy();
    for (int i = 1; i < v.length; i++) {
      v[i] = share(row, list.get(i));
    }
    return v;
  }

  /** Whether {@code row} fits in {@code budget}. */
  public static boolean fits(ResultRow row, Budget budget) {
    return value(row, budget.cost()) <= budget.limit();
  }

  /** How far {@code row} exceeds {@code budget}, relative to it: 0 when it fits. */
  public static double violation(ResultRow row, Budget budget) {
    return Math.max(0, value(row, budget.cost()) / budget.limit() - 1);
  }
}
