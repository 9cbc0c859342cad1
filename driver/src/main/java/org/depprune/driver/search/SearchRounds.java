package org.depprune.driver.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.depprune.driver.config.SearchConfig;
import org.depprune.driver.data.SearchData;
import org.depprune.driver.execution.TrialExecutor;
import org.depprune.driver.execution.TrialTask;
import org.depprune.driver.results.BaseMetrics;
import org.depprune.driver.results.Objectives;
import org.depprune.driver.results.Pareto;
import org.depprune.driver.results.ResultRow;
import org.depprune.driver.results.ResultStore;
import org.depprune.driver.results.RoundStats;
import org.depprune.driver.results.SearchProvenance;
import org.depprune.driver.space.BudgetScaler;
import org.depprune.driver.space.Evolution;
import org.depprune.driver.space.PlanSpace;
import org.depprune.driver.space.SensitivityScan;
import org.depprune.trial.Plan;
import org.depprune.trial.Plans;
import org.depprune.trial.Trial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rounds of a search: the first round (uniform and random plans for every criterion, scaled to
 * sit at each budget when the config has budgets, with their recovery options), the evolution at
 * the first round's budget (once per budget, constrained by it), then successive halving, each
 * round promoting the best of the one before ({@link Promotion}). Every finished trial is
 * recorded in the store at once; a trial whose row is already there (a resumed search) is not
 * run again.
 */
final class SearchRounds {
  private static final Logger LOG = LoggerFactory.getLogger(SearchRounds.class);

  private final SearchConfig config;
  private final ResultStore store;
  private final TrialExecutor executor;
  private final SearchProgress progress;
  private final SearchProvenance provenance;
  private final Model base;
  private final InputType input;
  private final PlanSpace space;
  private final BudgetScaler scaler;
  private final Objectives objectives;
  private final BaseMetrics baseMetrics;
  private final SearchConfig.Halving halving;
  private final SearchData data;
  private final List<RoundStats> stats = new ArrayList<>();
  private final Map<String, CompletableFuture<ResultRow>> inFlight = new ConcurrentHashMap<>();

  /** An objective's value for failed plans and plans over the ceiling: worse than any real one. */
  private static final double WORST = 1e9;

  /**
   * @param halving the config's successive halving with {@code epoch} resolved to the training
   *     split's size
   * @param data the search's data: how many partitions a budget reads, how many validation examples
   *     the screening rounds score
   */
  SearchRounds(SearchConfig config, SearchConfig.Halving halving, SearchData data, ResultStore store,
      TrialExecutor executor, SearchProgress progress, SearchProvenance provenance, Model base, BaseMetrics baseMetrics,
      InputType input, List<String> layers) {
    this.config = config;
    this.halving = halving;
    this.data = data;
    this.baseMetrics = baseMetrics;
    this.store = store;
    this.executor = executor;
    this.progress = progress;
    this.provenance = provenance;
    this.base = base;
    this.input = input;
    this.space = new PlanSpace(layers, config.space().minRatio(), config.space().maxRatio());
    Set<String> ignored = Set.copyOf(config.space().ignoredLayers());
    this.scaler = new BudgetScaler(space, plan -> Plans.cost(base, plan, config.space().roundTo(), ignored, input),
        baseMetrics.latencyMillis());
    this.objectives = new Objectives(config.objectives(), baseMetrics);
  }

  /** Runs every round; returns what each cost in this run. */
  List<RoundStats> run() throws InterruptedException {
    List<Integer> budgets = halving.budgets();
    // The recipe check runs beside the cheap rung (which finetunes nothing) and must pass before
    // the first round that finetunes.
    CompletableFuture<ResultRow> guard = startGuard();
    if (budgets.get(0) > 0) {
      awaitGuard(guard);
    }
    List<PlanSpace.Candidate> candidates = new ArrayList<>(firstRoundPlans());
    candidates.addAll(sensitivityPlans());
    List<Trial> first = new ArrayList<>();
    for (PlanSpace.Candidate c : candidates) {
      for (Plan plan : RecoveryOptions.variants(config.recovery(), c.plan())) {
        if (underCeiling(plan)) {
          first.add(trial(plan, c.origin(), 0));
        }
      }
    }
    runRound("round 0", first);
    if (config.evolution().generations() > 0) {
      evolve();
    }
    for (int r = 1; r < budgets.size(); r++) {
      awaitGuard(guard);
      List<ResultRow> previous = okRows(budgets.get(r - 1));
      int keep = halving.kept(r, previous.size());
      List<Trial> promoted = new ArrayList<>();
      for (ResultRow row : Promotion.promote(previous, keep, config.budgets(), objectives)) {
        promoted.add(trial(row.plan(), row.origin(), r));
      }
      runRound("round " + r, promoted);
    }
    awaitGuard(guard);
    return List.copyOf(stats);
  }

  /**
   * Starts the recipe check (the unpruned base finetuned by the search's recipe, {@link RecipeGuard}),
   * or finds its row from an earlier run; null when the check is off or no round finetunes.
   */
  private CompletableFuture<ResultRow> startGuard() {
    if (!config.finetune().guard() || halving.last() == 0) {
      return null;
    }
    int budget = config.finetune().guardBudget() > 0 ? config.finetune().guardBudget() : halving.last();
    Trial trial = RecipeGuard.trial(budget, config.seed(), config.partitions(), data);
    Optional<ResultRow> done = store.get(trial.id()).filter(ResultRow::ok).filter(r -> r.origin().equals("guard"));
    if (done.isPresent()) {
      return CompletableFuture.completedFuture(done.get());
    }
    progress.note(String.format(java.util.Locale.ROOT, "recipe check: the unpruned base model finetuned on %,d images"
        + " (%s), beside the first round", budget, config.finetune().recipe().describe()));
    return CompletableFuture.supplyAsync(() -> record(executor.runOne(trial, false), false));
  }

  /** Waits for the recipe check and stops the search when it failed (once: a passed check returns at once). */
  private void awaitGuard(CompletableFuture<ResultRow> guard) {
    if (guard == null) {
      return;
    }
    ResultRow row;
    try {
      row = guard.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw new IllegalStateException("the recipe check could not run: " + e.getCause().getMessage(), e.getCause());
    }
    try {
      RecipeGuard.check(row, baseMetrics, config.finetune());
    } catch (IllegalStateException failed) {
      try {
        store.writeAtomically(ResultStore.STOPPED_AT_CHECK, w -> w.write(config.hash() + "\n"));
      } catch (IOException e) {
        failed.addSuppressed(e);
      }
      throw failed;
    }
  }

  /**
   * The first round's plans: without budgets, the uniform grid and free random plans; with them,
   * every criterion's uniform plan and random plans scaled to sit at each budget.
   */
  private List<PlanSpace.Candidate> firstRoundPlans() {
    if (config.budgets().isEmpty()) {
      return space.initial(config.criteria(), config.uniformRatios(), config.randomPlansPerCriterion(), config.seed());
    }
    long start = System.nanoTime();
    List<PlanSpace.Candidate> plans = space.atBudgets(config.criteria(), config.uniformAtBudgets(),
        config.randomPlansPerCriterion(), config.seed(), config.budgets(), scaler);
    LOG.info("{} first-round plans scaled to the budgets {} in {} s", plans.size(),
        config.budgets().stream().map(SearchConfig.Budget::label).toList(),
        String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
    return plans;
  }

  /**
   * With budgets and {@code sensitivity.scan = on}: runs the scan at the first round's budget (each
   * group alone at each scanned ratio, and the unpruned model), then makes each criterion's guided
   * plan per budget ({@link SensitivityScan}). Empty otherwise, or when a scanned trial failed.
   */
  private List<PlanSpace.Candidate> sensitivityPlans() throws InterruptedException {
    SearchConfig.Sensitivity settings = config.sensitivity();
    if (!settings.scan() || config.budgets().isEmpty()) {
      return List.of();
    }
    SensitivityScan scan = new SensitivityScan(space, settings.ratios());
    List<Trial> trials = scan.plans(settings.criterion()).stream().map(p -> trial(p, "scan", 0)).toList();
    runRound("sensitivity scan", trials);
    Map<String, Double> accuracy = new java.util.HashMap<>();
    for (Trial t : trials) {
      store.get(t.id()).filter(ResultRow::ok).ifPresent(r -> accuracy.put(r.planId(), r.accuracy()));
    }
    Map<String, double[]> losses = scan.losses(settings.criterion(), accuracy);
    if (losses == null) {
      LOG.warn("the sensitivity scan has failed trials; the first round goes without its plans");
      return List.of();
    }
    LOG.info("sensitivity scan ({}): accuracy lost by each group alone at {}: {}", settings.criterion(),
        settings.ratios(), losses.entrySet().stream()
            .map(e -> e.getKey() + "=" + java.util.Arrays.toString(e.getValue())).toList());
    List<PlanSpace.Candidate> plans = new ArrayList<>();
    for (SearchConfig.Budget budget : config.budgets()) {
      for (String criterion : config.criteria()) {
        Plan direction = scan.guided(criterion, budget, losses, scaler);
        if (direction == null) {
          continue;
        }
        BudgetScaler.Scaled scaled = scaler.scale(direction, budget);
        if (scaled.fits()) {
          plans.add(new PlanSpace.Candidate(scaled.plan(), "sensitivity"));
        }
      }
    }
    return plans;
  }

  /**
   * The successful rows of the rounds at {@code budget} (the recipe check is not one), by trial id:
   * an order that does not depend on timing.
   */
  List<ResultRow> okRows(int budget) {
    return store.rows().stream().filter(r -> r.ok() && r.budget() == budget && !r.origin().equals("guard"))
        .sorted(Comparator.comparing(ResultRow::trialId)).toList();
  }

  /**
   * The evolution: once per budget (the budget a constraint, offspring scaled to it, started from
   * the plans that budget ranks first), or once without budgets (started from the first round's
   * best by Pareto rank and crowding).
   */
  private void evolve() {
    List<SearchConfig.Budget> budgets = config.budgets();
    int runs = Math.max(1, budgets.size());
    // At most: NSGA-II's first step fills up a population the first round could not seed.
    int total = runs * (config.evolution().generations() + 1) * config.evolution().population();
    progress.startRound("evolution", total, 0);
    ExecutorService pool = Executors.newFixedThreadPool(executor.slots());
    try {
      List<ResultRow> firstRound = firstRoundRows().stream()
          .filter(r -> config.evolutionCriteria().contains(r.plan().criterion())).toList();
      int population = config.evolution().population();
      if (budgets.isEmpty()) {
        evolution(null, config.seed()).run(Pareto.best(firstRound, population, objectives::minimized), pool);
      }
      for (int b = 0; b < budgets.size(); b++) {
        SearchConfig.Budget budget = budgets.get(b);
        List<ResultRow> start = Promotion.ranking(firstRound, budget).stream().limit(population).toList();
        evolution(budget, config.seed() + b).run(start, pool);
      }
    } finally {
      pool.shutdownNow();
    }
    stats.add(progress.endRound());
  }

  private Evolution evolution(SearchConfig.Budget budget, long seed) {
    boolean scalable = budget != null && budget.cost() != SearchConfig.Objective.LATENCY;
    // A plan already run (the first population, injected from the first round) stays as it is;
    // rescaling it would give a near copy with another id, run again for nothing.
    java.util.function.UnaryOperator<Plan> repair = p -> {
      Plan fixed = RecoveryOptions.fixed(config.recovery(), p);
      boolean done = store.get(trial(fixed, "evolution", 0).id()).filter(ResultRow::ok).isPresent();
      return scalable && !done ? scaler.scale(fixed, budget).plan() : fixed;
    };
    return new Evolution(space, config.evolutionCriteria(), config.evolution(), seed, objectives.size(),
        RecoveryOptions.chosen(config.recovery()), repair, plan -> evaluation(plan, budget));
  }

  /** A plan's evaluation for the evolution; failures and plans over the MACs ceiling are the worst. */
  private Evolution.Evaluation evaluation(Plan plan, SearchConfig.Budget budget) {
    double[] worst = new double[objectives.size()];
    java.util.Arrays.fill(worst, 1, worst.length, WORST);
    if (!underCeiling(plan)) {
      return new Evolution.Evaluation(worst, budget == null ? 0 : WORST);
    }
    ResultRow row = evaluate(trial(plan, "evolution", 0));
    if (!row.ok()) {
      return new Evolution.Evaluation(worst, budget == null ? 0 : WORST);
    }
    return new Evolution.Evaluation(objectives.minimized(row), budget == null ? 0 : Objectives.violation(row, budget));
  }

  /** Runs one trial unless it is done; concurrent requests for the same trial share one run. */
  private ResultRow evaluate(Trial trial) {
    CompletableFuture<ResultRow> mine = new CompletableFuture<>();
    CompletableFuture<ResultRow> running = inFlight.putIfAbsent(trial.id(), mine);
    if (running != null) {
      return running.join();
    }
    Optional<ResultRow> done = store.get(trial.id()).filter(ResultRow::ok);
    ResultRow row = done.orElseGet(() -> record(executor.runOne(trial, keepModels(trial.round()))));
    mine.complete(row);
    return row;
  }

  private void runRound(String name, List<Trial> trials) throws InterruptedException {
    List<Trial> todo = trials.stream().filter(t -> store.get(t.id()).filter(ResultRow::ok).isEmpty()).toList();
    progress.startRound(name, todo.size(), trials.size() - todo.size());
    executor.runAll(todo, keepModels(trials.isEmpty() ? 0 : trials.get(0).round()), this::record);
    stats.add(progress.endRound());
  }

  /** Records a finished trial's row of the round in progress. */
  private ResultRow record(TrialTask.Output output) {
    return record(output, true);
  }

  /**
   * Records a finished trial's row; a failure's whole trace goes to the driver log.
   *
   * @param inRound whether the trial counts in the round in progress (the recipe check does not)
   */
  private ResultRow record(TrialTask.Output output, boolean inRound) {
    ResultRow row = ResultRow.of(output.result(), output.execution(), provenance);
    if (!row.ok()) {
      LOG.warn("trial {} failed: {}\n{}", row.trialId(), row.error(), output.result().failure().trace());
    }
    try {
      store.put(row);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + ResultStore.JSONL + " in " + store.dir(), e);
    }
    if (inRound) {
      progress.finished(row);
    } else {
      progress.aside(row);
    }
    return row;
  }

  private boolean underCeiling(Plan plan) {
    return config.macsCeiling() >= 1 || Plans.macsShare(base, plan, config.space().roundTo(),
        Set.copyOf(config.space().ignoredLayers()), input) <= config.macsCeiling();
  }

  /**
   * Whether round {@code round}'s trials keep their models: only the last round's (the front and the
   * winners come from it); a screening trial's model can be made again from its plan.
   */
  private boolean keepModels(int round) {
    return round == halving.budgets().size() - 1;
  }

  /**
   * The trial of {@code plan} in round {@code round}: its budget, the partitions that hold that many
   * images from the one its id picks, and the validation examples the round scores.
   */
  private Trial trial(Plan plan, String origin, int round) {
    int partition = partitionOf(plan, config.partitions());
    int budget = halving.budgets().get(round);
    int validation = keepModels(round) ? 0 : earlyValidation();
    return new Trial(plan, origin, round, budget, plan.seed(config.seed()), partition,
        data.partitionsFor(partition, budget), validation);
  }

  /** The training partition a plan's id picks. */
  static int partitionOf(Plan plan, int partitions) {
    return (int) Long.remainderUnsigned(Long.parseUnsignedLong(plan.id(), 16), partitions);
  }

  /** The screening rounds' validation examples, 0 when they score as many as the last round. */
  private int earlyValidation() {
    long early = data.earlyValidationExamples();
    return early >= data.description().validationExamples() ? 0 : (int) early;
  }

  /**
   * The evolution's starting rows: the first round's, without the evolution's own offspring,
   * which a resumed search finds in its store too (with them it would evolve other plans).
   */
  private List<ResultRow> firstRoundRows() {
    return okRows(halving.budgets().get(0)).stream().filter(r -> !r.origin().equals("evolution")).toList();
  }
}
