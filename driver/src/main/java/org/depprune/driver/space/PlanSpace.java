package org.depprune.driver.space;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.depprune.driver.config.SearchConfig;
import org.depprune.trial.Plan;

/**
 * The plans of a search's first round, in a fixed order: for each criterion, the uniform grid
 * (the same ratio on every searched layer), then per-layer ratios drawn uniformly from
 * [min-ratio, max-ratio] by a generator seeded from the search seed and the criterion's position.
 * Duplicates (same content, so same id) are kept once, the first time they appear.
 */
public final class PlanSpace {
  private final List<String> layers;
  private final double minRatio;
  private final double maxRatio;

  public PlanSpace(List<String> layers, double minRatio, double maxRatio) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("the search has no layer to prune: check space.layers and space.ignored-layers");
    }
    this.layers = List.copyOf(layers);
    this.minRatio = minRatio;
    this.maxRatio = maxRatio;
  }

  public List<String> layers() {
    return layers;
  }

  public double minRatio() {
    return minRatio;
  }

  public double maxRatio() {
    return maxRatio;
  }

  /** A plan with its origin: {@code uniform}, {@code random} or {@code evolution}. */
  public record Candidate(Plan plan, String origin) {}

  /** The uniform and random plans, every criterion, deduplicated by id. */
  public List<Candidate> initial(List<String> criteria, List<Double> uniformRatios, int randomPerCriterion, long seed) {
    Map<String, Candidate> plans = new LinkedHashMap<>();
    SplittableRandom root = new SplittableRandom(seed);
    for (String criterion : criteria) {
      SplittableRandom random = root.split();
      for (double r : uniformRatios) {
        Plan plan = Plan.uniform(criterion, layers, r);
        plans.putIfAbsent(plan.id(), new Candidate(plan, "uniform"));
      }
      for (int i = 0; i < randomPerCriterion; i++) {
        Plan plan = new Plan(criterion, ratios(random));
        plans.putIfAbsent(plan.id(), new Candidate(plan, "random"));
      }
    }
    return new ArrayList<>(plans.values());
  }

  /**
   * The first round of a search with budgets: for each budget and criterion, the uniform plan at
   * the budget (when {@code uniformPlans}) and {@code randomPerCriterion} random per-layer
   * directions scaled to it (drawn
   * from the search seed, the budget's and the criterion's positions). A direction that cannot
   * meet the budget even at max-ratio is left out. Deduplicated by id, in order.
   */
  public List<Candidate> atBudgets(List<String> criteria, boolean uniformPlans, int randomPerCriterion, long seed,
      List<SearchConfig.Budget> budgets, BudgetScaler scaler) {
    Map<String, Candidate> plans = new LinkedHashMap<>();
    SplittableRandom root = new SplittableRandom(seed);
    for (SearchConfig.Budget budget : budgets) {
      for (String criterion : criteria) {
        SplittableRandom random = root.split();
        if (uniformPlans) {
          BudgetScaler.Scaled uniform = scaler.scale(Plan.uniform(criterion, layers, maxRatio), budget);
          if (uniform.fits()) {
            plans.putIfAbsent(uniform.plan().id(), new Candidate(uniform.plan(), "uniform"));
          }
        }
        for (int i = 0; i < randomPerCriterion; i++) {
          BudgetScaler.Scaled scaled = scaler.scale(new Plan(criterion, ratios(random)), budget);
          if (scaled.fits()) {
            plans.putIfAbsent(scaled.plan().id(), new Candidate(scaled.plan(), "random"));
          }
        }
      }
    }
    return new ArrayList<>(plans.values());
  }

  private TreeMap<String, Double> ratios(SplittableRandom random) {
    TreeMap<String, Double> ratios = new TreeMap<>();
    for (String layer : layers) {
      ratios.put(layer, minRatio + (maxRatio - minRatio) * random.nextDouble());
    }
    return ratios;
  }

  /** A plan from the evolution's variables: one ratio per layer (in order), clamped to the space. */
  public Plan plan(String criterion, double[] layerRatios) {
    TreeMap<String, Double> ratios = new TreeMap<>();
    for (int i = 0; i < layers.size(); i++) {
      ratios.put(layers.get(i), Math.max(minRatio, Math.min(maxRatio, layerRatios[i])));
    }
    return new Plan(criterion, ratios);
  }
}
