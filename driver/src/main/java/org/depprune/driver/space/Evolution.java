package org.depprune.driver.space;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.depprune.driver.config.SearchConfig;
import org.depprune.driver.results.Pareto;
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
 * floored); its objectives are validation accuracy (maximised) and MACs share (minimised). The
 * first population is the best of the first round by rank and crowding. Each generation's
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
  private final Function<Plan, double[]> objectives;

  /**
   * @param objectives runs (or finds) a plan's trial at the first round's budget and gives its
   *     objectives to minimise: (-accuracy, MACs share)
   */
  public Evolution(PlanSpace space, List<String> criteria, SearchConfig.Evolution settings, long seed,
      Function<Plan, double[]> objectives) {
    this.space = space;
    this.criteria = List.copyOf(criteria);
    this.settings = settings;
    this.seed = seed;
    this.objectives = objectives;
  }

  /** Runs the configured generations, starting from the best of {@code firstRound}. */
  public void run(List<ResultRow> firstRound, ExecutorService pool) {
    PRNG.setSeed(seed);
    PlanProblem problem = new PlanProblem();
    DistributedProblem distributed = new DistributedProblem(problem, pool);
    List<ResultRow> seeds = Pareto.best(
        firstRound.stream().filter(r -> r.ok() && criteria.contains(r.plan().criterion())).toList(),
        settings.population());
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
      super(space.layers().size() + 1, 2);
    }

    @Override
    public Solution newSolution() {
      Solution s = new Solution(getNumberOfVariables(), 2);
      for (int i = 0; i < space.layers().size(); i++) {
        s.setVariable(i, new RealVariable(space.minRatio(), space.maxRatio()));
      }
      s.setVariable(space.layers().size(), new RealVariable(0, criteria.size()));
      return s;
    }

    /** Sets {@code s}'s variables to {@code plan}'s; {@code s} comes from the distributed problem. */
    Solution encode(Plan plan, Solution s) {
      for (int i = 0; i < space.layers().size(); i++) {
        double r = plan.ratios().get(space.layers().get(i));
        ((RealVariable) s.getVariable(i)).setValue(Math.max(space.minRatio(), Math.min(space.maxRatio(), r)));
      }
      ((RealVariable) s.getVariable(space.layers().size())).setValue(criteria.indexOf(plan.criterion()) + 0.5);
      return s;
    }

    Plan decode(Solution s) {
      double[] ratios = new double[space.layers().size()];
      for (int i = 0; i < ratios.length; i++) {
        ratios[i] = ((RealVariable) s.getVariable(i)).getValue();
      }
      double c = ((RealVariable) s.getVariable(ratios.length)).getValue();
      return space.plan(criteria.get(Math.min(criteria.size() - 1, (int) Math.floor(c))), ratios);
    }

    @Override
    public void evaluate(Solution solution) {
      solution.setObjectives(objectives.apply(decode(solution)));
    }
  }
}
