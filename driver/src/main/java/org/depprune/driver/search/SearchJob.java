package org.depprune.driver.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.depprune.data.ImageBatchIterator;
import org.depprune.data.LabeledImages;
import org.depprune.driver.search.PlanSpace.Candidate;
import org.depprune.metrics.LatencyMeter;
import org.depprune.metrics.MacCounter;
import org.depprune.metrics.MacReport;
import org.depprune.model.Versions;
import org.depprune.plan.Plan;
import org.depprune.plan.Plans;
import org.depprune.plan.Trial;
import org.depprune.plan.TrialSettings;
import org.depprune.train.Evaluator;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * The search, start to end, on the driver: read and check the inputs, lay out the first round
 * (uniform and random plans for every criterion), refine per-layer ratios with NSGA-II, promote
 * the best plans through the successive-halving rounds, and finish with the Pareto front of the
 * last round: its models scored once on the test set and copied to {@code pareto/}, the results
 * table as JSON lines, CSV and Parquet, and a summary.
 *
 * <p>Output directory: {@code results.jsonl|csv|parquet}, {@code summary.json}, {@code base.json},
 * {@code report.html}, {@code search.conf} (the resolved config), {@code trials/<trial>.zip} (every trial's model) and
 * {@code pareto/<plan>.zip|json}.
 */
public final class SearchJob {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final SearchConfig config;
  private final PrintWriter out;

  public SearchJob(SearchConfig config, PrintWriter out) {
    this.config = config;
    this.out = out;
  }

  /** The base model's own metrics on the same validation images: the front's reference point. */
  public record Base(double accuracy, long macs, long params, double latencyMillis) {}

  /** What a search found. */
  public record Summary(
      String output,
      Base base,
      List<String> layers,
      List<Map<String, Object>> front,
      double hypervolume,
      Map<String, Double> firstRoundHypervolume,
      List<SearchProgress.RoundStats> rounds,
      int trials,
      int errors,
      List<FinalFinetune.Result> finals) {
    public Summary {
      finals = List.copyOf(finals);
    }
  }

  /** Runs the search on {@code spark}. */
  public Summary run(SparkSession spark) throws IOException, InterruptedException {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration hadoop = sc.hadoopConfiguration();
    Nd4j.getEnvironment().setMaxThreads(config.nd4jThreads());

    SearchInputs inputs = SearchInputs.load(config, hadoop);
    InputType input = InputType.convolutional(inputs.train().rows(), inputs.train().cols(), 1);
    List<String> layers = searchLayers(inputs.base(), input);
    ResultStore store = ResultStore.open(config.output(), hadoop);
    requireSameSearch(store);
    store.writeAtomically("search.conf", w -> w.write(config.resolved()));

    LabeledImages validation = inputs.validation();
    Base base = measureBase(inputs.base(), validation, input);
    store.writeAtomically("base.json", w -> w.write(JSON.writeValueAsString(base)));
    out.printf(Locale.ROOT, "base model %s: validation accuracy %.4f on %d images, %,d MACs, %,d params%n",
        config.baseModel(), base.accuracy(), validation.size(), base.macs(), base.params());
    out.printf(Locale.ROOT, "searching %d layers %s with %s; output %s%n", layers.size(), layers, config.criteria(),
        store.dir());

    int slots = config.parallelism() > 0 ? config.parallelism() : sc.defaultParallelism();
    var provenance = new ResultRow.Provenance(config.hash(), config.seed(), versions(spark));
    var settings = new TrialSettings(inputs.train().rows(), inputs.train().cols(),
        1, config.finetuneBatchSize(), config.calibration().batches(), config.calibration().batchSize(),
        config.latency().batchSize(), config.latency().warmup(), config.latency().runs(), config.space().roundTo(),
        config.space().ignoredLayers(), base.macs(), config.nd4jThreads());
    int[][] partitions = inputs.split().partitions(config.partitions(), config.seed()).toArray(int[][]::new);
    String trialsDir = new Path(store.dir(), "trials").toString();
    var context = new TrialContext(inputs.baseBytes(), config.baseModel(), settings, inputs.train(), partitions,
        validation, trialsDir, new SerializableConfiguration(hadoop), provenance);
    Broadcast<TrialContext> broadcast = sc.broadcast(context);
    SearchProgress progress = new SearchProgress(out, slots);
    store.rows().forEach(progress::observe);
    spark.sparkContext().addSparkListener(progress);
    String jobGroup = "depprune-search-" + config.hash();
    try (TrialExecutor executor = new TrialExecutor(sc, broadcast, slots, config.scheduling(), jobGroup)) {
      Rounds rounds = new Rounds(store, executor, progress, provenance, inputs.base(), input, layers);
      rounds.run();
      List<ResultRow> front = finish(sc, store, inputs, rounds, jobGroup, context);
      store.writeTables(spark, layers);
      // The search's summary is written before the final finetune, so a failure there loses nothing.
      Summary summary = summarize(store, base, layers, front, rounds.stats, List.of());
      writeSummary(store, summary);
      if (!config.finalFinetune().macsBudgets().isEmpty()) {
        var finalContext = new FinalFinetune.Context(sc, store, inputs, validation, testImages(inputs), provenance, slots);
        List<FinalFinetune.Result> finals = new FinalFinetune(config, out).run(finalContext, front);
        summary = summarize(store, base, layers, front, rounds.stats, finals);
        writeSummary(store, summary);
      }
      print(summary);
      return summary;
    } finally {
      spark.sparkContext().removeSparkListener(progress);
      broadcast.destroy();
    }
  }

  private void writeSummary(ResultStore store, Summary summary) throws IOException {
    store.writeAtomically("summary.json", w -> w.write(JSON.writeValueAsString(summary)));
    store.writeAtomically("report.html", w -> w.write(Report.html(summary, store.rows(), config)));
  }

  /** The searched layers: the configured ones (checked) or every prunable group's root. */
  private List<String> searchLayers(ComputationGraph base, InputType input) {
    Set<String> names = base.getConfiguration().getVertices().keySet();
    for (String layer : config.space().ignoredLayers()) {
      if (!names.contains(layer)) {
        throw new IllegalArgumentException("search.space.ignored-layers names '" + layer
            + "', which is not a layer of " + config.baseModel() + "; its layers are " + names);
      }
    }
    List<String> prunable = Plans.prunableLayers(base, Set.copyOf(config.space().ignoredLayers()), input);
    if (config.space().layers().isEmpty()) {
      return prunable;
    }
    for (String layer : config.space().layers()) {
      if (!prunable.contains(layer)) {
        throw new IllegalArgumentException("search.space.layers names '" + layer + "', which is not the root of a"
            + " prunable group of " + config.baseModel() + "; choose among " + prunable
            + " ('bin/depprune graph --model FILE' lists the groups)");
      }
    }
    return List.copyOf(config.space().layers());
  }

  /** A directory holds one search: resuming with another config would mix incomparable rows. */
  private void requireSameSearch(ResultStore store) {
    Set<String> hashes = new HashSet<>();
    store.rows().forEach(r -> hashes.add(r.configHash()));
    hashes.remove(config.hash());
    if (!hashes.isEmpty()) {
      throw new IllegalArgumentException(store.dir() + " holds results of another search config (hash " + hashes
          + ", this config's is " + config.hash() + "): give a new --out, or run the config that wrote it to resume");
    }
  }

  private Base measureBase(ComputationGraph base, LabeledImages validation, InputType input) {
    MacReport macs = MacCounter.count(base, input);
    double accuracy = Evaluator.accuracy(base, ImageBatchIterator.ordered(validation, 500));
    Nd4j.getRandom().setSeed(config.seed());
    var latency = LatencyMeter.measure(base, Nd4j.rand(new long[] {config.latency().batchSize(), 1,
        validation.rows(), validation.cols()}), config.latency().warmup(), config.latency().runs());
    return new Base(accuracy, macs.macs(), macs.params(), latency.medianMillis());
  }

  private static Map<String, String> versions(SparkSession spark) {
    Map<String, String> v = new LinkedHashMap<>(Versions.all());
    v.put("spark", spark.version());
    return Map.copyOf(v);
  }

  /** The rounds of a search: the first round, the evolution, then successive halving. */
  private final class Rounds {
    final ResultStore store;
    final TrialExecutor executor;
    final SearchProgress progress;
    final ResultRow.Provenance provenance;
    final ComputationGraph base;
    final InputType input;
    final PlanSpace space;
    final List<SearchProgress.RoundStats> stats = new ArrayList<>();
    final Map<String, CompletableFuture<ResultRow>> inFlight = new ConcurrentHashMap<>();

    Rounds(ResultStore store, TrialExecutor executor, SearchProgress progress, ResultRow.Provenance provenance,
        ComputationGraph base, InputType input, List<String> layers) {
      this.store = store;
      this.executor = executor;
      this.progress = progress;
      this.provenance = provenance;
      this.base = base;
      this.input = input;
      this.space = new PlanSpace(layers, config.space().minRatio(), config.space().maxRatio());
    }

    void run() throws InterruptedException {
      List<Trial> first = new ArrayList<>();
      for (Candidate c : space.initial(config.criteria(), config.uniformRatios(), config.randomPlansPerCriterion(),
          config.seed())) {
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
        for (ResultRow row : Ranking.best(previous, keep)) {
          promoted.add(trial(row.plan(), row.origin(), r));
        }
        runRound("round " + r, promoted);
      }
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

    private ResultRow record(TrialTask.Output output) {
      ResultRow row = ResultRow.of(output.result(), output.execution(), provenance);
      try {
        store.put(row);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("could not write " + ResultStore.JSONL + " in " + store.dir(), e);
      }
      progress.finished(row);
      return row;
    }

    private boolean underCeiling(Plan plan) {
      return config.macsCeiling() >= 1 || Plans.macsShare(base, plan, config.space().roundTo(),
          Set.copyOf(config.space().ignoredLayers()), input) <= config.macsCeiling();
    }

    Trial trial(Plan plan, String origin, int round) {
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

    /** The successful rows at {@code budget}, by trial id: an order that does not depend on timing. */
    List<ResultRow> okRows(int budget) {
      return store.rows().stream().filter(r -> r.ok() && r.budget() == budget)
          .sorted(java.util.Comparator.comparing(ResultRow::trialId)).toList();
    }
  }

  /**
   * The last round's Pareto front: test accuracy of its models (one Spark task each, skipped
   * when known), the rows marked, and the models copied to {@code pareto/} beside their plans.
   */
  private List<ResultRow> finish(JavaSparkContext sc, ResultStore store, SearchInputs inputs, Rounds rounds,
      String jobGroup, TrialContext context) throws IOException {
    List<Integer> budgets = config.halving().budgets();
    List<ResultRow> last = rounds.okRows(budgets.get(budgets.size() - 1));
    List<ResultRow> front = new ArrayList<>();
    for (int i : Pareto.front(last.stream().map(ResultRow::point).toList())) {
      front.add(last.get(i));
    }
    List<String> toScore = front.stream().filter(r -> r.testAccuracy() == null).map(ResultRow::trialId).toList();
    Map<String, Double> test = new LinkedHashMap<>();
    if (!toScore.isEmpty()) {
      out.printf("scoring the %d Pareto models on the test set%n", toScore.size());
      out.flush();
      Broadcast<LabeledImages> testSet = sc.broadcast(testImages(inputs));
      String trialsDir = context.trialsDir();
      SerializableConfiguration hadoop = context.hadoop();
      int threads = config.nd4jThreads();
      try {
        sc.setJobGroup(jobGroup, "test accuracy of the Pareto front", true);
        test.putAll(sc.parallelize(toScore, toScore.size())
            .mapToPair(id -> new Tuple2<>(id, TrialTask.testAccuracy(id, trialsDir, hadoop, testSet.value(), threads)))
            .collectAsMap());
      } finally {
        testSet.destroy();
      }
    }
    Set<String> onFront = new HashSet<>();
    List<ResultRow> updated = new ArrayList<>();
    List<ResultRow> marked = new ArrayList<>();
    for (ResultRow r : front) {
      ResultRow m = r.withPareto(true, test.getOrDefault(r.trialId(), r.testAccuracy()));
      onFront.add(r.trialId());
      updated.add(m);
      marked.add(m);
    }
    for (ResultRow r : store.rows()) {
      if (r.pareto() && !onFront.contains(r.trialId())) {
        updated.add(r.withPareto(false, r.testAccuracy()));
      }
    }
    store.putAll(updated);
    copyParetoModels(store, marked, context.trialsDir());
    return marked;
  }

  /** The test images the front and the final models are scored on ({@code test-examples}). */
  private LabeledImages testImages(SearchInputs inputs) {
    return config.testExamples() == 0 ? inputs.test()
        : inputs.test().select(java.util.stream.IntStream.range(0, Math.min(config.testExamples(), inputs.test().size())).toArray());
  }

  private void copyParetoModels(ResultStore store, List<ResultRow> front, String trialsDir) throws IOException {
    var fs = store.fs();
    Path dir = new Path(store.dir(), "pareto");
    fs.delete(dir, true);
    fs.mkdirs(dir);
    for (ResultRow row : front) {
      Path model = TrialTask.modelPath(trialsDir, row.trialId());
      try (InputStream in = fs.open(model); OutputStream o = fs.create(new Path(dir, row.planId() + ".zip"), true)) {
        in.transferTo(o);
      }
      try (OutputStream o = fs.create(new Path(dir, row.planId() + ".json"), true)) {
        o.write(JSON.writeValueAsBytes(row.asMap()));
      }
    }
  }

  private Summary summarize(ResultStore store, Base base, List<String> layers, List<ResultRow> front,
      List<SearchProgress.RoundStats> rounds, List<FinalFinetune.Result> finals) {
    Pareto.Point reference = new Pareto.Point(config.hypervolumeReference().get(0), config.hypervolumeReference().get(1));
    List<ResultRow> rows = store.rows();
    int first = config.halving().budgets().get(0);
    Map<String, Double> firstRound = new LinkedHashMap<>();
    firstRound.put("all", hypervolume(rows, r -> r.budget() == first, reference));
    firstRound.put("uniform", hypervolume(rows, r -> r.budget() == first && r.origin().equals("uniform"), reference));
    firstRound.put("searched", hypervolume(rows, r -> r.budget() == first && !r.origin().equals("uniform"), reference));
    double hv = Pareto.hypervolume(front.stream().map(ResultRow::point).toList(), reference);
    int errors = (int) rows.stream().filter(r -> !r.ok()).count();
    return new Summary(store.dir().toString(), base, layers, front.stream().map(ResultRow::asMap).toList(), hv,
        firstRound, rounds, rows.size(), errors, finals);
  }

  private static double hypervolume(List<ResultRow> rows, java.util.function.Predicate<ResultRow> which,
      Pareto.Point reference) {
    return Pareto.hypervolume(rows.stream().filter(r -> r.ok() && which.test(r)).map(ResultRow::point).toList(),
        reference);
  }

  private void print(Summary s) {
    out.println();
    out.printf(Locale.ROOT, "Pareto front (%d plans; budget %d images; hypervolume %.4f against %s):%n",
        s.front().size(), config.halving().budgets().get(config.halving().budgets().size() - 1), s.hypervolume(),
        config.hypervolumeReference());
    out.println("plan          criterion      origin     MACs    params   latency ms  val acc  test acc  mean ratio");
    out.printf(Locale.ROOT, "%-13s %-14s %-9s %5.1f%% %9d %10.2f  %.4f  %8s  %10s%n", "base", "-", "-", 100.0,
        s.base().params(), s.base().latencyMillis(), s.base().accuracy(), "-", "0");
    for (Map<String, Object> r : s.front()) {
      Object test = r.get("test_accuracy");
      out.printf(Locale.ROOT, "%-13s %-14s %-9s %5.1f%% %9d %10.2f  %.4f  %8s  %10.3f%n", r.get("plan_id"),
          r.get("criterion"), r.get("origin"), 100 * (Double) r.get("macs_share"), r.get("params"),
          r.get("latency_ms"), r.get("val_accuracy"),
          test == null ? "-" : String.format(Locale.ROOT, "%.4f", (Double) test), r.get("mean_ratio"));
    }
    out.printf(Locale.ROOT, "%d trials (%d failed); first-round hypervolume: all %.4f, uniform %.4f, searched %.4f%n",
        s.trials(), s.errors(), s.firstRoundHypervolume().get("all"), s.firstRoundHypervolume().get("uniform"),
        s.firstRoundHypervolume().get("searched"));
    if (!s.finals().isEmpty()) {
      out.println("final models (data-parallel finetune on the training split):");
      out.println("plan          criterion      budget   MACs    params  val acc  test acc  base test  (search: val / test)");
      for (FinalFinetune.Result f : s.finals()) {
        out.printf(Locale.ROOT, "%-13s %-14s %5.1f%% %5.1f%% %9d  %.4f  %.4f    %.4f   (%.4f / %s)%n", f.planId(),
            f.criterion(), 100 * f.macsBudget(), 100 * f.macsShare(), f.params(), f.valAccuracy(), f.testAccuracy(),
            f.baseTestAccuracy(),
            f.searchValAccuracy(), f.searchTestAccuracy() == null ? "-"
                : String.format(Locale.ROOT, "%.4f", f.searchTestAccuracy()));
      }
      out.printf("final models in %s/final%n", s.output());
    }
    out.printf("results: %s/{%s,%s,%s}, models of the front in %s/pareto, report %s/report.html%n", s.output(),
        ResultStore.JSONL, ResultStore.CSV, ResultStore.PARQUET, s.output(), s.output());
    out.flush();
  }
}
