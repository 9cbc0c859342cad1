package org.depprune.driver.space;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.depprune.driver.config.SearchConfig.Budget;
import org.depprune.driver.config.SearchConfig.Objective;
import org.depprune.trial.Plan;
import org.depprune.trial.Plans;

/**
 * Makes a plan sit at a budget instead of drawing plans and discarding those over it, as
 * {@code Pruner}'s MACs target bisects one ratio: a plan's per-layer ratios are a direction
 * {@code d}, and the scaled plan has ratios {@code clamp(s * d_i, min-ratio, max-ratio)} for the
 * smallest {@code s} whose plan fits the budget (bisection on {@code s}, costs falling as {@code s}
 * grows; on {@code log s} once the largest ratio has reached max-ratio, where a direction's small
 * entries need large scales). A uniform direction gives the uniform plan at the budget. The plan found is the one that
 * prunes least while fitting, so it keeps as much of the base model as the budget allows.
 *
 * <p>MACs and parameter budgets are met exactly (every step prunes the base model and counts). A
 * latency budget is aimed at through the MACs share equal to the latency share of the base
 * model's latency; pruned models' latency falls less than their MACs, so such plans may exceed the
 * budget: the search judges them on measured latency.
 */
public final class BudgetScaler {
  /** Bisection steps on the scale: the scale is found to within 2^-STEPS of its range (of its log range past saturation). */
  static final int STEPS = 12;

  private final PlanSpace space;
  private final Function<Plan, Plans.Cost> costs;
  private final double baseLatencyMillis;
  private final Map<String, Plans.Cost> cache = new ConcurrentHashMap<>();

  /**
   * @param costs a plan's cost (its pruned network's MACs share and parameters)
   * @param baseLatencyMillis the base model's latency, to aim latency budgets through MACs
   */
  public BudgetScaler(PlanSpace space, Function<Plan, Plans.Cost> costs, double baseLatencyMillis) {
    this.space = space;
    this.costs = costs;
    this.baseLatencyMillis = baseLatencyMillis;
  }

  /** A plan scaled to {@code budget}, and whether it fits (false: even the most pruned plan is over it). */
  public record Scaled(Plan plan, boolean fits, double cost) {}

  /** {@code direction} scaled to sit at {@code budget}. */
  public Scaled scale(Plan direction, Budget budget) {
    double lowest = direction.ratios().values().stream().filter(r -> r > 0).mapToDouble(Double::doubleValue).min()
        .orElse(0);
    Plan base = lowest > 0 ? direction : direction.withRatios(uniform(direction, 1.0));
    double highest = base.ratios().values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
    lowest = lowest > 0 ? lowest : 1.0;
    // At sTop the largest ratio reaches max-ratio; at sMax every ratio has.
    double sTop = space.maxRatio() / highest;
    double sMax = space.maxRatio() / lowest;
    Plan most = at(base, sMax);
    if (!fits(most, budget)) {
      return new Scaled(most, false, cost(most, budget));
    }
    Plan least = at(base, 0);
    if (fits(least, budget)) {
      return new Scaled(least, true, cost(least, budget));
    }
    Plan top = at(base, sTop);
    if (fits(top, budget)) {
      return bisect(base, budget, 0, sTop, top, false);
    }
    // Past sTop ratios saturate one by one and small directions need large scales: halve log(s).
    return bisect(base, budget, sTop, sMax, most, true);
  }

  /** The plan at the smallest scale in (low, high] that fits; {@code fitting} is the plan at {@code high}. */
  private Scaled bisect(Plan base, Budget budget, double low, double high, Plan fitting, boolean geometric) {
    Plan best = fitting;
    for (int i = 0; i < STEPS; i++) {
      double mid = geometric ? Math.sqrt(low * high) : (low + high) / 2;
      Plan p = at(base, mid);
      if (fits(p, budget)) {
        high = mid;
        best = p;
      } else {
        low = mid;
      }
    }
    return new Scaled(best, true, cost(best, budget));
  }

  /** {@code plan}'s counted cost (MACs share and parameters), cached by its ratios. */
  public Plans.Cost costOf(Plan plan) {
    return cache.computeIfAbsent(plan.ratios().toString(), key -> costs.apply(plan));
  }

  /** Whether {@code plan}'s counted cost fits {@code budget} (latency through the MACs share). */
  public boolean fits(Plan plan, Budget budget) {
    return cost(plan, budget) <= limit(budget);
  }

  private double limit(Budget budget) {
    return budget.cost() == Objective.LATENCY ? budget.limit() / baseLatencyMillis : budget.limit();
  }

  /** The counted cost a budget is judged on here: the MACs share, or the parameters. */
  private double cost(Plan plan, Budget budget) {
    // The cost depends on the ratios only, not on the criterion or the options.
    Plans.Cost c = costOf(plan);
    return budget.cost() == Objective.PARAMS ? c.params() : c.macsShare();
  }

  private Plan at(Plan direction, double s) {
    TreeMap<String, Double> ratios = new TreeMap<>();
    direction.ratios().forEach((layer, d) ->
        ratios.put(layer, Math.max(space.minRatio(), Math.min(space.maxRatio(), s * d))));
    return direction.withRatios(ratios);
  }

  private static Map<String, Double> uniform(Plan plan, double r) {
    TreeMap<String, Double> ratios = new TreeMap<>();
    plan.ratios().keySet().forEach(layer -> ratios.put(layer, r));
    return ratios;
  }
}
