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
import org.depprune.driver.execution.TrialExecutor;
import org.depprune.driver.execution.TrialTask;
import org.depprune.driver.results.Pareto;
import org.depprune.driver.results.ResultRow;
import org.depprune.driver.results.ResultStore;
import org.depprune.driver.results.RoundStats;
import org.depprune.driver.results.SearchProvenance;
import org.depprune.driver.space.Evolution;
import org.depprune.driver.space.PlanSpace;
import org.depprune.trial.Plan;
import org.depprune.trial.Plans;
import org.depprune.trial.Trial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rounds of a search: the first round (uniform and random plans for every criterion), the
 * evolution at the first round's budget, then successive halving, each round promoting the best
 * share of the one before. Every finished trial is recorded in the store at once; a trial whose
 * row is already there (a resumed search) is not run again.
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
  private final List<RoundStats> stats = new ArrayList<>();
  private final Map<String, CompletableFuture<ResultRow>> inFlight = new ConcurrentHashMap<>();

  SearchRounds(SearchConfig config, ResultStore store, TrialExecutor executor, SearchProgress progress,
      SearchProvenance provenance, Model base, InputType input, List<String> layers) {
    this.config = config;
    this.store = store;
    this.executor = executor;
    this.progress = progress;
    this.provenance = provenance;
    this.base = base;
    this.input = input;
    this.space = new PlanSpace(layers, config.space().minRatio(), config.space().maxRatio());
  }

  /** Runs every round; returns what each cost in this run. */
  List<RoundStats> run() throws InterruptedException {
    List<Trial> first = new ArrayList<>();
    for (PlanSpace.Candidate c : space.initial(config.criteria(), config.uniformRatios(),
        config.randomPlansPerCriterion(), config.seed())) {
      if (underCeiling(c.plan())) {
        first.add(trial(c.plan(), c.origin(), 0));
      }
    }
    runRound("round 0", first);
    if (config.evolution().generations() > 0) {
      evolve();
    }
    List<Integer> budgets = config.halving().budgets();
    for (int r = 1; r < budgets.size(); r++) {
      List<ResultRow> previous = okRows(budgets.get(r - 1));
      int keep = (int) Math.ceil(config.halving().promote() * previous.size());
      List<Trial> promoted = new ArrayList<>();
      for (ResultRow row : Pareto.best(previous, keep)) {
        promoted.add(trial(row.plan(), row.origin(), r));
      }
      runRound("round " + r, promoted);
    }
    return List.copyOf(stats);
  }

  /** The successful rows at {@code budget}, by trial id: an order that does not depend on timing. */
  List<ResultRow> okRows(int budget) {
    return store.rows().stream().filter(r -> r.ok() && r.budget() == budget)
        .sorted(Comparator.comparing(ResultRow::trialId)).toList();
  }

  private void evolve() {
    int total = config.evolution().generations() * config.evolution().population();
    progress.startRound("evolution", total, 0);
    ExecutorService pool = Executors.newFixedThreadPool(executor.slots());
    try {
      new Evolution(space, config.evolutionCriteria(), config.evolution(), config.seed(), this::objectives)
          .run(firstRoundRows(), pool);
    } finally {
      pool.shutdownNow();
    }
    stats.add(progress.endRound());
  }

  /** A plan's objectives for the evolution: (-accuracy, MACs share), the worst for failures. */
  private double[] objectives(Plan plan) {
    if (!underCeiling(plan)) {
      return new double[] {0, 1};
    }
    ResultRow row = evaluate(trial(plan, "evolution", 0));
    return row.ok() ? new double[] {-row.accuracy(), row.macsShare()} : new double[] {0, 1};
  }

  /** Runs one trial unless it is done; concurrent requests for the same trial share one run. */
  private ResultRow evaluate(Trial trial) {
    CompletableFuture<ResultRow> mine = new CompletableFuture<>();
    CompletableFuture<ResultRow> running = inFlight.putIfAbsent(trial.id(), mine);
    if (running != null) {
      return running.join();
    }
    Optional<ResultRow> done = store.get(trial.id()).filter(ResultRow::ok);
    ResultRow row = done.orElseGet(() -> record(executor.runOne(trial)));
    mine.complete(row);
    return row;
  }

  private void runRound(String name, List<Trial> trials) throws InterruptedException {
    List<Trial> todo = trials.stream().filter(t -> store.get(t.id()).filter(ResultRow::ok).isEmpty()).toList();
    progress.startRound(name, todo.size(), trials.size() - todo.size());
    executor.runAll(todo, this::record);
    stats.add(progress.endRound());
  }

  /** Records a finished trial's row; a failure's whole trace goes to the driver log. */
  private ResultRow record(TrialTask.Output output) {
    ResultRow row = ResultRow.of(output.result(), output.execution(), provenance);
    if (!row.ok()) {
      LOG.warn("trial {} failed: {}\n{}", row.trialId(), row.error(), output.result().failure().trace());
    }
    try {
      store.put(row);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + ResultStore.JSONL + " in " + store.dir(), e);
    }
    progress.finished(row);
    return row;
  }

  private boolean underCeiling(Plan plan) {
    return config.macsCeiling() >= 1 || Plans.macsShare(base, plan, config.space().roundTo(),
        Set.copyOf(config.space().ignoredLayers()), input) <= config.macsCeiling();
  }

  private Trial trial(Plan plan, String origin, int round) {
    int partition = (int) Long.remainderUnsigned(Long.parseUnsignedLong(plan.id(), 16), config.partitions());
    return new Trial(plan, origin, round, config.halving().budgets().get(round), plan.seed(config.seed()), partition);
  }

  /**
   * The evolution's starting rows: the first round's, without the evolution's own offspring,
   * which a resumed search finds in its store too (with them it would evolve other plans).
   */
  private List<ResultRow> firstRoundRows() {
    return okRows(config.halving().budgets().get(0)).stream().filter(r -> !r.origin().equals("evolution")).toList();
  }
}
