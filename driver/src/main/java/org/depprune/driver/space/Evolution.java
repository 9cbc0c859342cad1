package org.depprune.driver.space;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.depprune.driver.config.SearchConfig;
import org.depprune.driver.results.ResultRow;
import org.depprune.trial.Plan;
import org.moeaframework.algorithm.NSGAII;
import org.moeaframework.core.PRNG;
import org.moeaframework.core.Solution;
import org.moeaframework.core.initialization.InjectedInitialization;
import org.moeaframework.core.variable.RealVariable;
import org.moeaframework.parallel.DistributedProblem;
import org.moeaframework.problem.AbstractProblem;

/**
 * Evolutionary refinement of per-layer ratios with MOEA Framework's NSGA-II (Deb et al., 2002).
 * A solution is one ratio per searched layer plus the criterion (a real in [0, #criteria),
 * floored); its objectives are validation accuracy (maximised) and the search's costs
 * (minimised). With a budget, the budget is a constraint: NSGA-II's constrained dominance ranks
 * every plan that fits above every plan that does not (those by how far over), and each
 * offspring is first scaled to sit at the budget (the caller's repair). The first population is
 * the given rows' best, picked by the caller. Each generation's
 * offspring are evaluated concurrently: MOEA Framework's {@link DistributedProblem} hands every
 * evaluation to the driver-side pool, and each evaluation is a trial run as its own Spark job.
 * MOEA Framework's generator is seeded from the search seed, so the same search evolves the same
 * plans.
 */
public final class Evolution {
  private final PlanSpace space;
  private final List<String> criteria;
  private final SearchConfig.Evolution settings;
  private final long seed;
  private final int objectives;
  private final Map<String, String> chosenOptions;
  private final Function<Plan, Plan> repair;
  private final Function<Plan, Evaluation> evaluation;

  /** A plan's objectives to minimise ({@code (-accuracy, cost, ...)}) and how far it exceeds the budget (0: fits). */
  public record Evaluation(double[] minimized, double violation) {}

  /**
   * @param objectives the number of objectives, accuracy included
   * @param chosenOptions plan options the evolution turns on or off (one more variable each), with
   *     their values
   * @param repair makes an offspring's plan fit the budget and adds the options the search fixes
   * @param evaluation runs (or finds) a plan's trial at the first round's budget and evaluates it
   */
  public Evolution(PlanSpace space, List<String> criteria, SearchConfig.Evolution settings, long seed, int objectives,
      Map<String, String> chosenOptions, Function<Plan, Plan> repair, Function<Plan, Evaluation> evaluation) {
    this.chosenOptions = new TreeMap<>(chosenOptions);
    this.space = space;
    this.criteria = List.copyOf(criteria);
    this.settings = settings;
    this.seed = seed;
    this.objectives = objectives;
    this.repair = repair;
    this.evaluation = evaluation;
  }

  /** Runs the configured generations from {@code start}, the first population's rows (at most {@code population}). */
  public void run(List<ResultRow> start, ExecutorService pool) {
    PRNG.setSeed(seed);
    PlanProblem problem = new PlanProblem();
    DistributedProblem distributed = new DistributedProblem(problem, pool);
    List<ResultRow> seeds = start.stream().filter(r -> r.ok() && criteria.contains(r.plan().criterion()))
        .limit(settings.population()).toList();
    List<Solution> injected = new ArrayList<>();
    for (ResultRow row : seeds) {
      injected.add(problem.encode(row.plan(), distributed.newSolution()));
    }
    NSGAII nsga = new NSGAII(distributed);
    nsga.setInitialPopulationSize(settings.population());
    nsga.setInitialization(new InjectedInitialization(distributed, injected));
    for (int step = 0; step <= settings.generations(); step++) {
      nsga.step(); // the first step evaluates the initial population (found in the store)
    }
  }

  /** The search problem as MOEA Framework sees it. */
  private final class PlanProblem extends AbstractProblem {
    PlanProblem() {
      super(space.layers().size() + 1 + chosenOptions.size(), objectives, 1);
    }

    @Override
    public Solution newSolution() {
      Solution s = new Solution(getNumberOfVariables(), objectives, 1);
      for (int i = 0; i < space.layers().size(); i++) {
        s.setVariable(i, new RealVariable(space.minRatio(), space.maxRatio()));
      }
      s.setVariable(space.layers().size(), new RealVariable(0, criteria.size()));
      for (int k = 0; k < chosenOptions.size(); k++) {
        s.setVariable(space.layers().size() + 1 + k, new RealVariable(0, 2)); // floored: 0 off, 1 on
      }
      return s;
    }

    /** Sets {@code s}'s variables to {@code plan}'s; {@code s} comes from the distributed problem. */
    Solution encode(Plan plan, Solution s) {
      for (int i = 0; i < space.layers().size(); i++) {
        double r = plan.ratios().get(space.layers().get(i));
        ((RealVariable) s.getVariable(i)).setValue(Math.max(space.minRatio(), Math.min(space.maxRatio(), r)));
      }
      ((RealVariable) s.getVariable(space.layers().size())).setValue(criteria.indexOf(plan.criterion()) + 0.5);
      int k = 0;
      for (String option : chosenOptions.keySet()) {
        ((RealVariable) s.getVariable(space.layers().size() + 1 + k++)).setValue(
            plan.options().containsKey(option) ? 1.5 : 0.5);
      }
      return s;
    }

    Plan decode(Solution s) {
      double[] ratios = new double[space.layers().size()];
      for (int i = 0; i < ratios.length; i++) {
        ratios[i] = ((RealVariable) s.getVariable(i)).getValue();
      }
      double c = ((RealVariable) s.getVariable(ratios.length)).getValue();
      Plan plan = space.plan(criteria.get(Math.min(criteria.size() - 1, (int) Math.floor(c))), ratios);
      int k = 0;
      for (var option : chosenOptions.entrySet()) {
        boolean on = ((RealVariable) s.getVariable(ratios.length + 1 + k++)).getValue() >= 1;
        plan = plan.withOption(option.getKey(), on ? option.getValue() : null);
      }
      return plan;
    }

    @Override
    public void evaluate(Solution solution) {
      Evaluation e = evaluation.apply(repair.apply(decode(solution)));
      solution.setObjectives(e.minimized());
      solution.setConstraint(0, e.violation());
    }
  }
}
