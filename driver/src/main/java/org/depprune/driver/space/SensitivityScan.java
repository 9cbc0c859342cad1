package org.depprune.driver.space;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.depprune.driver.config.SearchConfig.Budget;
import org.depprune.driver.config.SearchConfig.Objective;
import org.depprune.trial.Plan;
import org.depprune.trial.Plans;

/**
 * A per-group sensitivity scan (after NetAdapt, Yang et al. 2018, and the per-layer sensitivity
 * analysis of Li et al. 2017): each searched group is pruned alone to a few ratios and scored on the
 * first rung, beside the unpruned model on the same rung. From the accuracy each group loses alone,
 * {@link #guided} allocates a budget greedily: starting from no pruning, it raises, step by step,
 * the ratio of the group that loses the least accuracy per share of the cost saved, until the plan
 * fits; the result is then scaled to sit at the budget like any first-round plan. The losses are
 * taken as additive across groups, which they are not exactly; the plans seed the first round, and
 * the rounds that follow judge them.
 */
public final class SensitivityScan {
  /** The greedy allocation's ratio step. */
  static final double STEP = 0.05;

  private final PlanSpace space;
  private final List<Double> ratios;

  /** @param ratios the ratios each group is scanned at, increasing, in (0, max-ratio] */
  public SensitivityScan(PlanSpace space, List<Double> ratios) {
    this.space = space;
    this.ratios = List.copyOf(ratios);
  }

  /** The scan's plans for {@code criterion}: the unpruned model first, then each layer alone at each ratio. */
  public List<Plan> plans(String criterion) {
    List<Plan> plans = new ArrayList<>();
    plans.add(alone(criterion, space.layers().get(0), 0));
    for (String layer : space.layers()) {
      for (double r : ratios) {
        plans.add(alone(criterion, layer, r));
      }
    }
    return plans;
  }

  /** The plan pruning {@code layer} alone by {@code ratio}, the other searched layers not at all. */
  public Plan alone(String criterion, String layer, double ratio) {
    TreeMap<String, Double> r = new TreeMap<>();
    space.layers().forEach(l -> r.put(l, l.equals(layer) ? ratio : 0.0));
    return new Plan(criterion, r);
  }

  /**
   * Each layer's accuracy loss at each scanned ratio (index 0: ratio 0, loss 0), from the scan's
   * accuracies by plan id; null when a scanned plan has no accuracy (it failed or is missing).
   */
  public Map<String, double[]> losses(String criterion, Map<String, Double> accuracyByPlan) {
    Double unpruned = accuracyByPlan.get(alone(criterion, space.layers().get(0), 0).id());
    if (unpruned == null) {
      return null;
    }
    Map<String, double[]> losses = new TreeMap<>();
    for (String layer : space.layers()) {
      double[] loss = new double[ratios.size() + 1];
      for (int i = 0; i < ratios.size(); i++) {
        Double acc = accuracyByPlan.get(alone(criterion, layer, ratios.get(i)).id());
        if (acc == null) {
          return null;
        }
        loss[i + 1] = Math.max(loss[i], unpruned - acc); // a loss that shrinks with more pruning is noise
      }
      losses.put(layer, loss);
    }
    return losses;
  }

  /** {@code layer}'s loss at {@code ratio}: piecewise linear between the scanned ratios, extended past the last. */
  double loss(double[] loss, double ratio) {
    double[] at = new double[ratios.size() + 1];
    for (int i = 0; i < ratios.size(); i++) {
      at[i + 1] = ratios.get(i);
    }
    for (int i = 1; i < at.length; i++) {
      if (ratio <= at[i] || i == at.length - 1) {
        double slope = (loss[i] - loss[i - 1]) / (at[i] - at[i - 1]);
        return loss[i - 1] + slope * (ratio - at[i - 1]);
      }
    }
    return 0;
  }

  /**
   * The greedy allocation of {@code budget} by {@code losses}, as a direction for {@link
   * BudgetScaler#scale}: null when even the most pruned plan of the space does not fit.
   */
  public Plan guided(String criterion, Budget budget, Map<String, double[]> losses, BudgetScaler scaler) {
    TreeMap<String, Double> r = new TreeMap<>();
    space.layers().forEach(l -> r.put(l, space.minRatio()));
    Plan plan = new Plan(criterion, r);
    while (!scaler.fits(plan, budget)) {
      double cost = cost(scaler.costOf(plan), budget);
      String bestLayer = null;
      double bestRate = Double.POSITIVE_INFINITY;
      double bestNext = 0;
      for (String layer : space.layers()) {
        double now = r.get(layer);
        // The least raise that removes a channel: a step of STEP may round to no channel at all
        // (a group of 16 loses floor(16 x 0.05) = 0).
        for (double next = Math.min(space.maxRatio(), now + STEP); next > now;
            next = Math.min(space.maxRatio(), next + STEP)) {
          TreeMap<String, Double> tried = new TreeMap<>(r);
          tried.put(layer, next);
          double saved = cost - cost(scaler.costOf(plan.withRatios(tried)), budget);
          if (saved > 0) {
            double lost = Math.max(0, loss(losses.get(layer), next) - loss(losses.get(layer), now)) + 1e-9;
            if (lost / saved < bestRate) {
              bestRate = lost / saved;
              bestLayer = layer;
              bestNext = next;
            }
            break;
          }
          if (next >= space.maxRatio()) {
            break;
          }
        }
      }
      if (bestLayer == null) {
        return null;
      }
      r.put(bestLayer, bestNext);
      plan = plan.withRatios(r);
    }
    return plan;
  }

  private static double cost(Plans.Cost c, Budget budget) {
    return budget.cost() == Objective.PARAMS ? c.params() : c.macsShare();
  }
}
