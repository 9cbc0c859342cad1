package org.depprune.driver.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.depprune.backend.CpuEngines;
import org.depprune.driver.config.SearchConfig;
import org.depprune.driver.data.DataDescription;
import org.depprune.driver.data.Scoring;
import org.depprune.driver.data.SearchData;
import org.depprune.driver.execution.TrialContext;
import org.depprune.driver.execution.TrialExecutor;
import org.depprune.driver.finetune.FinalFinetune;
import org.depprune.driver.results.BaseMetrics;
import org.depprune.driver.results.Binomial;
import org.depprune.driver.results.FinalModel;
import org.depprune.driver.results.Objectives;
import org.depprune.driver.results.Report;
import org.depprune.driver.results.ResultRow;
import org.depprune.driver.results.ResultStore;
import org.depprune.driver.results.RoundStats;
import org.depprune.driver.results.SearchProvenance;
import org.depprune.driver.results.SearchSummary;
import org.depprune.metrics.LatencyMeter;
import org.depprune.metrics.MacCounter;
import org.depprune.metrics.MacReport;
import org.depprune.model.ModelFiles;
import org.depprune.model.Versions;
import org.depprune.network.Network;
import org.depprune.network.Seeds;
import org.depprune.trial.Plans;
import org.depprune.trial.TrialSettings;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The search, start to end, on the driver: read and check the inputs, measure the base model,
 * run the rounds ({@link SearchRounds}), finish the front ({@link FinalFront}), write the tables,
 * the summary and the report, and optionally finetune the winners ({@link FinalFinetune}).
 *
 * <p>Output directory: {@code results.jsonl|csv|parquet}, {@code summary.json}, {@code base.json},
 * {@code data.json} (the data, its split and classes),
 * {@code report.html}, {@code search.conf} (the resolved config), {@code trials/<trial>.zip} (every
 * trial's model; {@code <trial>.error.txt} for a failed one), {@code pareto/<plan>.zip|json} and,
 * with a final finetune, {@code final/<plan>.zip|json}.
 */
public final class SearchJob {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final String SUMMARY = "summary.json";
  /** What the data was ({@link DataDescription}): a resumed search checks it reads the same. */
  static final String DATA = "data.json";

  private final SearchConfig config;
  private final PrintWriter out;

  public SearchJob(SearchConfig config, PrintWriter out) {
    this.config = config;
    this.out = out;
  }

  /** Runs the search on {@code spark}. */
  public SearchSummary run(SparkSession spark) throws IOException, InterruptedException {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    CpuEngines.select(config.engine());
    Nd4j.getEnvironment().setMaxThreads(config.nd4jThreads());

    SearchInputs inputs = SearchInputs.load(config, hadoop);
    if (CpuEngines.current() != config.engine()) {
      out.printf("CPU engine: %s instead of %s for this model (the log says why)%n", CpuEngines.current().id(),
          config.engine().id());
    }
    ResultStore store = ResultStore.open(config.output(), hadoop);
    store.requireSearch(config.hash());
    try (SearchData data = SearchData.load(spark, config.data(), inputs.base(), inputs.recordedSplit(),
        config.partitions(), config.seed(), config.validationExamples(), config.halving().earlyValidationExamples(),
        config.testExamples())) {
      return run(spark, inputs, data, store);
    }
  }

  private SearchSummary run(SparkSession spark, SearchInputs inputs, SearchData data, ResultStore store)
      throws IOException, InterruptedException {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration hadoop = sc.hadoopConfiguration();
    requireSameData(store, data.description());
    store.writeAtomically(DATA, w -> w.write(JSON.writeValueAsString(data.description())));
    printData(data.description());
    InputType input = TrialSettings.inputType(data.exampleShape(), data.channelsLast());
    List<String> layers = searchLayers(inputs.base(), input);
    List<RoundStats> earlierRounds = Summaries.earlierRounds(store);
    store.writeAtomically("search.conf", w -> w.write(config.resolved()));

    Scoring validation = data.validationScoring();
    BaseMetrics measured = measureBase(sc, inputs, validation, data.exampleShape(), input);
    store.writeAtomically("base.json", w -> w.write(JSON.writeValueAsString(measured)));
    out.printf(Locale.ROOT, "base model %s: validation accuracy %s on %,d examples, %,d MACs, %,d params%n",
        config.baseModel(), Binomial.format(measured.accuracy(), measured.accuracyError()),
        measured.validationExamples(), measured.macs(), measured.params());
    SearchConfig.Halving halving = config.halving().resolve(data.description().trainExamples());
    out.printf(Locale.ROOT, "finetune: %s; rounds of %s training images%n", config.finetune().recipe().describe(),
        halving.budgets());
    out.printf(Locale.ROOT, "searching %d layers %s with %s; output %s%n", layers.size(), layers, config.criteria(),
        store.dir());

    int slots = config.parallelism() > 0 ? config.parallelism() : sc.defaultParallelism();
    var provenance = new SearchProvenance(config.hash(), config.seed(), versions(spark));
    TrialContext context = trialContext(inputs, data, measured, store, hadoop, provenance);
    Broadcast<TrialContext> broadcast = sc.broadcast(context);
    SearchProgress progress = new SearchProgress(out, slots);
    store.rows().forEach(progress::observe);
    spark.sparkContext().addSparkListener(progress);
    String jobGroup = "depprune-search-" + config.hash();
    boolean fromPartitions = data.broadcastValidation() == null;
    try (TrialExecutor executor = new TrialExecutor(sc, broadcast, t -> data.trainPartitions(t.partition(),
        t.partitions()), fromPartitions ? data.validationScoring() : null,
        fromPartitions ? data.earlyValidationScoring() : null, slots, config.scheduling(), jobGroup)) {
      SearchRounds rounds = new SearchRounds(config, halving, data, store, executor, progress, provenance,
          inputs.base(), measured, input, layers);
      List<RoundStats> stats = RoundStats.merge(earlierRounds, rounds.run());
      FinalFront.Outcome outcome = FinalFront.finish(sc, store, rounds.okRows(halving.last()),
          new Objectives(config.objectives(), measured), config.budgets(), context, data.testScoring(),
          config.nd4jThreads(), jobGroup, out, executor);
      BaseMetrics base = baseOnTest(sc, inputs.base(), measured, data, store);
      List<ResultRow> front = outcome.front();
      store.writeTables(spark, layers);
      // The search's summary is written before the final finetune, so a failure there loses nothing.
      SearchSummary summary = Summaries.summarize(config, halving, store, base, layers, outcome, stats,
          data.description());
      writeSummary(store, summary);
      if (!config.finalFinetune().macsBudgets().isEmpty()) {
        var finalContext = new FinalFinetune.Context(sc, store, inputs.base(), inputs.baseBytes(), data, provenance,
            slots, rounds.okRows(halving.last()));
        List<FinalModel> finals = new FinalFinetune(config, out).run(finalContext, front);
        summary = summary.withFinals(finals);
        writeSummary(store, summary);
      }
      Summaries.print(out, summary);
      return summary;
    } finally {
      spark.sparkContext().removeSparkListener(progress);
      broadcast.destroy();
    }
  }

  /**
   * The base model's metrics with its test accuracy, scored at the end with the front's (again on a
   * resumed search: the same model on the same examples gives the same number), written to
   * {@code base.json}.
   */
  private BaseMetrics baseOnTest(JavaSparkContext sc, Model model, BaseMetrics measured, SearchData data,
      ResultStore store) throws IOException {
    if (data.testScoring().isEmpty()) {
      return measured;
    }
    Scoring.Score score = data.testScoring().get().score(sc, model, config.nd4jThreads());
    BaseMetrics scored = measured.withTest(score.accuracy(), score.examples());
    store.writeAtomically("base.json", w -> w.write(JSON.writeValueAsString(scored)));
    return scored;
  }

  TrialContext trialContext(SearchInputs inputs, SearchData data, BaseMetrics base, ResultStore store,
      Configuration hadoop, SearchProvenance provenance) {
    var settings = new TrialSettings(Arrays.stream(data.exampleShape()).boxed().toList(), data.channelsLast(),
        config.finetune().batchSize(), config.calibration().batches(), config.calibration().batchSize(),
        config.latency().batchSize(), config.latency().warmup(), config.latency().runs(), config.space().roundTo(),
        config.space().ignoredLayers(), base.macs(), config.nd4jThreads(), config.recalibrationBatches(),
        CpuEngines.current(), config.finetune().recipe());
    return new TrialContext(inputs.baseBytes(), config.baseModel(), settings, data.broadcastValidation(),
        data.labels().names(), new Path(store.dir(), "trials").toString(), new SerializableConfiguration(hadoop),
        provenance);
  }

  /** A resumed search must read the data its rows came from. */
  private static void requireSameData(ResultStore store, DataDescription data) throws IOException {
    if (!store.fs().exists(store.file(DATA))) {
      return;
    }
    DataDescription before;
    try (java.io.InputStream in = store.fs().open(store.file(DATA))) {
      before = JSON.readValue(in, DataDescription.class);
    }
    if (!data.sameData(before)) {
      throw new IllegalArgumentException(store.file(DATA) + " says this search's rows came from " + before.train()
          + " (" + before.trainExamples() + " training, " + before.validationExamples() + " validation examples, "
          + before.splitText() + "), but the data now is " + data.train() + " (" + data.trainExamples() + ", "
          + data.validationExamples() + ", " + data.splitText() + "): use a new --out directory for new data");
    }
  }

  /** The search's first lines about its data: where it is, how it was split, where validation is scored. */
  private void printData(DataDescription d) {
    String test = d.test().isEmpty() ? "no test set"
        : String.format(Locale.ROOT, "%,d test (%s)", d.testExamples(), d.test());
    out.printf(Locale.ROOT, "data: %s %s; %,d training examples in %d cached partitions, %,d validation (%s; %,d"
            + " scored), %s; %d classes; examples %s%n", d.format(), d.train(), d.trainExamples(),
        d.partitionSizes().size(), d.heldOutExamples(), d.splitText(), d.validationExamples(), test,
        d.labels().size(), d.layout());
    out.printf("validation: %s%n", d.validationScoring().equals("broadcast")
        ? "broadcast to the executors; each trial scores itself"
        : "scored from its cached partitions (larger than search.data.broadcast-validation-mb), a job per trial");
    long skipped = d.skipped().values().stream().mapToLong(Long::longValue).sum();
    if (skipped > 0) {
      out.printf("skipped %d corrupt records %s, e.g. %s%n", skipped, d.skipped(), d.skippedSamples());
    }
    out.flush();
  }

  private void writeSummary(ResultStore store, SearchSummary summary) throws IOException {
    store.writeAtomically(SUMMARY, w -> w.write(JSON.writeValueAsString(summary)));
    store.writeAtomically("report.html", w -> w.write(Report.html(summary, store.rows(), config)));
  }

  /** The searched layers: the configured ones (checked) or every prunable group's root. */
  private List<String> searchLayers(Model base, InputType input) {
    List<String> names = Network.of(base).vertices().stream().map(Network.Vertex::name).toList();
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

  /**
   * The base model measured as trials are: accuracy on the validation set; latency in a one-task
   * Spark job on an executor, alone as every trial's is, so latency shares compare like with like.
   */
  private BaseMetrics measureBase(JavaSparkContext sc, SearchInputs inputs, Scoring validation, long[] exampleShape,
      InputType input) {
    MacReport macs = MacCounter.count(inputs.base(), input);
    Scoring.Score score = validation.score(sc, inputs.base(), config.nd4jThreads());
    long[] batch = new long[exampleShape.length + 1];
    batch[0] = config.latency().batchSize();
    System.arraycopy(exampleShape, 0, batch, 1, exampleShape.length);
    byte[] bytes = inputs.baseBytes();
    long seed = config.seed();
    int threads = config.nd4jThreads();
    int warmup = config.latency().warmup();
    int runs = config.latency().runs();
    sc.setJobGroup("depprune-base-" + config.hash(), "the base model's latency", true);
    double latency = sc.parallelize(List.of(0), 1).map(i -> {
      Nd4j.getEnvironment().setMaxThreads(threads);
      Model model = ModelFiles.load(bytes, "the base model");
      Seeds.nd4j(seed);
      return LatencyMeter.measureAlone(model, Nd4j.rand(batch), warmup, runs).value().medianMillis();
    }).first();
    return new BaseMetrics(score.accuracy(), score.examples(), macs.macs(), macs.params(), latency, null, 0);
  }

  static Map<String, String> versions(SparkSession spark) {
    Map<String, String> v = new LinkedHashMap<>(Versions.all());
    v.put("spark", spark.version());
    return Map.copyOf(v);
  }
}
