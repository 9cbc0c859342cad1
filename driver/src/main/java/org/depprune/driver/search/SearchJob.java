package org.depprune.driver.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
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
import org.depprune.data.ImageBatchIterator;
import org.depprune.data.LabeledImages;
import org.depprune.driver.config.SearchConfig;
import org.depprune.driver.execution.TrialContext;
import org.depprune.driver.execution.TrialExecutor;
import org.depprune.driver.finetune.FinalFinetune;
import org.depprune.driver.results.BaseMetrics;
import org.depprune.driver.results.FinalModel;
import org.depprune.driver.results.Report;
import org.depprune.driver.results.ResultRow;
import org.depprune.driver.results.ResultStore;
import org.depprune.driver.results.RoundStats;
import org.depprune.driver.results.SearchProvenance;
import org.depprune.driver.results.SearchSummary;
import org.depprune.metrics.LatencyMeter;
import org.depprune.metrics.MacCounter;
import org.depprune.metrics.MacReport;
import org.depprune.model.Versions;
import org.depprune.network.Network;
import org.depprune.network.Seeds;
import org.depprune.train.Evaluator;
import org.depprune.trial.Plans;
import org.depprune.trial.TrialSettings;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The search, start to end, on the driver: read and check the inputs, measure the base model,
 * run the rounds ({@link SearchRounds}), finish the front ({@link FinalFront}), write the tables,
 * the summary and the report, and optionally finetune the winners ({@link FinalFinetune}).
 *
 * <p>Output directory: {@code results.jsonl|csv|parquet}, {@code summary.json}, {@code base.json},
 * {@code report.html}, {@code search.conf} (the resolved config), {@code trials/<trial>.zip} (every
 * trial's model; {@code <trial>.error.txt} for a failed one), {@code pareto/<plan>.zip|json} and,
 * with a final finetune, {@code final/<plan>.zip|json}.
 */
public final class SearchJob {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final String SUMMARY = "summary.json";

  private final SearchConfig config;
  private final PrintWriter out;

  public SearchJob(SearchConfig config, PrintWriter out) {
    this.config = config;
    this.out = out;
  }

  /** Runs the search on {@code spark}. */
  public SearchSummary run(SparkSession spark) throws IOException, InterruptedException {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration hadoop = sc.hadoopConfiguration();
    Nd4j.getEnvironment().setMaxThreads(config.nd4jThreads());

    SearchInputs inputs = SearchInputs.load(config, hadoop);
    InputType input = InputType.convolutional(inputs.train().rows(), inputs.train().cols(), 1);
    List<String> layers = searchLayers(inputs.base(), input);
    ResultStore store = ResultStore.open(config.output(), hadoop);
    store.requireSearch(config.hash());
    List<RoundStats> earlierRounds = Summaries.earlierRounds(store);
    store.writeAtomically("search.conf", w -> w.write(config.resolved()));

    LabeledImages validation = inputs.validation();
    BaseMetrics base = measureBase(inputs.base(), validation, input);
    store.writeAtomically("base.json", w -> w.write(JSON.writeValueAsString(base)));
    out.printf(Locale.ROOT, "base model %s: validation accuracy %.4f on %d images, %,d MACs, %,d params%n",
        config.baseModel(), base.accuracy(), validation.size(), base.macs(), base.params());
    out.printf(Locale.ROOT, "searching %d layers %s with %s; output %s%n", layers.size(), layers, config.criteria(),
        store.dir());

    int slots = config.parallelism() > 0 ? config.parallelism() : sc.defaultParallelism();
    var provenance = new SearchProvenance(config.hash(), config.seed(), versions(spark));
    TrialContext context = trialContext(inputs, validation, base, store, hadoop, provenance);
    Broadcast<TrialContext> broadcast = sc.broadcast(context);
    SearchProgress progress = new SearchProgress(out, slots);
    store.rows().forEach(progress::observe);
    spark.sparkContext().addSparkListener(progress);
    String jobGroup = "depprune-search-" + config.hash();
    try (TrialExecutor executor = new TrialExecutor(sc, broadcast, slots, config.scheduling(), jobGroup)) {
      SearchRounds rounds = new SearchRounds(config, store, executor, progress, provenance, inputs.base(), input,
          layers);
      List<RoundStats> stats = RoundStats.merge(earlierRounds, rounds.run());
      List<Integer> budgets = config.halving().budgets();
      List<ResultRow> front = FinalFront.finish(sc, store, rounds.okRows(budgets.get(budgets.size() - 1)), context,
          testImages(inputs), config.nd4jThreads(), jobGroup, out);
      store.writeTables(spark, layers);
      // The search's summary is written before the final finetune, so a failure there loses nothing.
      SearchSummary summary = Summaries.summarize(config, store, base, layers, front, stats);
      writeSummary(store, summary);
      if (!config.finalFinetune().macsBudgets().isEmpty()) {
        var finalContext = new FinalFinetune.Context(sc, store, inputs.base(), inputs.train(), inputs.split().train(),
            validation, testImages(inputs), provenance, slots);
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

  private TrialContext trialContext(SearchInputs inputs, LabeledImages validation, BaseMetrics base, ResultStore store,
      Configuration hadoop, SearchProvenance provenance) {
    var settings = new TrialSettings(inputs.train().rows(), inputs.train().cols(),
        1, config.finetuneBatchSize(), config.calibration().batches(), config.calibration().batchSize(),
        config.latency().batchSize(), config.latency().warmup(), config.latency().runs(), config.space().roundTo(),
        config.space().ignoredLayers(), base.macs(), config.nd4jThreads());
    int[][] partitions = inputs.split().partitions(config.partitions(), config.seed()).toArray(int[][]::new);
    return new TrialContext(inputs.baseBytes(), config.baseModel(), settings, inputs.train(), partitions,
        validation, new Path(store.dir(), "trials").toString(), new SerializableConfiguration(hadoop), provenance);
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

  private BaseMetrics measureBase(Model base, LabeledImages validation, InputType input) {
    MacReport macs = MacCounter.count(base, input);
    double accuracy = Evaluator.accuracy(base, ImageBatchIterator.ordered(validation, 500));
    Seeds.nd4j(config.seed());
    var latency = LatencyMeter.measure(base, Nd4j.rand(new long[] {config.latency().batchSize(), 1,
        validation.rows(), validation.cols()}), config.latency().warmup(), config.latency().runs());
    return new BaseMetrics(accuracy, macs.macs(), macs.params(), latency.medianMillis());
  }

  /** The test images the front and the final models are scored on ({@code test-examples}). */
  private LabeledImages testImages(SearchInputs inputs) {
    return config.testExamples() == 0 ? inputs.test()
        : inputs.test().select(java.util.stream.IntStream.range(0, Math.min(config.testExamples(), inputs.test().size())).toArray());
  }

  private static Map<String, String> versions(SparkSession spark) {
    Map<String, String> v = new LinkedHashMap<>(Versions.all());
    v.put("spark", spark.version());
    return Map.copyOf(v);
  }
}
