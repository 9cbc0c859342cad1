package org.depprune.driver.search;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.depprune.backend.CpuEngines;
import org.depprune.driver.config.SearchConfig;
import org.depprune.driver.data.SearchData;
import org.depprune.driver.execution.TrialContext;
import org.depprune.driver.execution.TrialExecutor;
import org.depprune.driver.execution.TrialTask;
import org.depprune.driver.results.BaseMetrics;
import org.depprune.driver.results.ResultRow;
import org.depprune.driver.results.ResultStore;
import org.depprune.driver.results.SearchProvenance;
import org.depprune.metrics.MacCounter;
import org.depprune.trial.TrialSettings;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Re-creates a search trial's model ({@code depprune prune --search DIR --trial ID}): a plan is
 * replayable, and a trial's seed, partitions and finetune derive from its plan and the search's
 * config, so running the trial again on the search's base model and data gives the model its row
 * measured. The search saves only its last round's models; this makes any other trial's. The
 * trial runs on embedded Spark ({@code local[*]}) over the search's own config ({@code search.conf}
 * in the directory, whose hash must be the row's) and the model lands in the search's
 * {@code trials/} and at {@code out}.
 */
public final class TrialReplay {
  private TrialReplay() {}

  /** What the re-created trial measured, beside its row. */
  public record Replayed(String trialId, double accuracy, double rowAccuracy, long params) {}

  /**
   * @param trial a trial id ({@code <plan>-b<budget>}), or a plan id (its trial of the highest budget)
   * @param out where the re-created model is copied (a local file)
   */
  public static Replayed run(String dir, String trial, java.nio.file.Path out, PrintWriter console)
      throws IOException, InterruptedException {
    SparkConf conf = new SparkConf().setAppName("depprune-replay").set("spark.ui.showConsoleProgress", "false")
        .set("spark.ui.enabled", "false");
    if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    try {
      return run(spark, dir, trial, out, console);
    } finally {
      spark.stop();
    }
  }

  /** {@link #run(String, String, java.nio.file.Path, PrintWriter)} on a session the caller owns. */
  public static Replayed run(SparkSession spark, String dir, String trial, java.nio.file.Path out,
      PrintWriter console) throws IOException, InterruptedException {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    ResultStore store = ResultStore.open(dir, hadoop);
    String text = store.readText("search.conf").orElseThrow(() -> new IllegalArgumentException(dir
        + " has no search.conf: --search takes the output directory of a search"));
    SearchConfig config = SearchConfig.parse("search {\n" + text + "\n}", Map.of("output", dir));
    ResultRow row = find(store, trial, dir);
    if (!row.configHash().equals(config.hash())) {
      throw new IllegalStateException("trial " + row.trialId() + " was run by config " + row.configHash() + ", but "
          + dir + "/search.conf is config " + config.hash() + ": this DepPrune reads the config differently (another"
          + " version?); re-create it with the DepPrune that ran the search");
    }
    CpuEngines.select(config.engine());
    Nd4j.getEnvironment().setMaxThreads(config.nd4jThreads());
    SearchInputs inputs = SearchInputs.load(config, hadoop);
    try (SearchData data = SearchData.load(spark, config.data(), inputs.base(), inputs.recordedSplit(),
        config.partitions(), config.seed(), config.validationExamples(), config.halving().earlyValidationExamples(),
        config.testExamples())) {
      return replay(spark, config, inputs, data, store, row, out, console);
    }
  }

  private static Replayed replay(SparkSession spark, SearchConfig config, SearchInputs inputs, SearchData data,
      ResultStore store, ResultRow row, java.nio.file.Path out, PrintWriter console)
      throws IOException, InterruptedException {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    InputType input = TrialSettings.inputType(data.exampleShape(), data.channelsLast());
    var macs = MacCounter.count(inputs.base(), input);
    BaseMetrics base = new BaseMetrics(Double.NaN, 0, macs.macs(), macs.params(), Double.NaN, null, 0);
    var provenance = new SearchProvenance(config.hash(), config.seed(), SearchJob.versions(spark));
    TrialContext context = new SearchJob(config, console).trialContext(inputs, data, base, store,
        sc.hadoopConfiguration(), provenance);
    Broadcast<TrialContext> broadcast = sc.broadcast(context);
    boolean fromPartitions = data.broadcastValidation() == null;
    console.printf("re-running trial %s (%s, budget %d) of %s%n", row.trialId(), row.plan().criterion(), row.budget(),
        store.dir());
    console.flush();
    try (TrialExecutor executor = new TrialExecutor(sc, broadcast, t -> data.trainPartitions(t.partition(),
        t.partitions()), fromPartitions ? data.validationScoring() : null,
        fromPartitions ? data.earlyValidationScoring() : null, 1, config.scheduling(), "depprune-replay")) {
      TrialTask.Output output = executor.runOne(row.trial(), true);
      if (!output.result().ok()) {
        throw new IllegalStateException("trial " + row.trialId() + " failed again: " + output.result().failure().message());
      }
      Path model = TrialTask.modelPath(context.trialsDir(), row.trialId());
      try (InputStream in = store.fs().open(model); OutputStream o = Files.newOutputStream(out)) {
        in.transferTo(o);
      }
      var m = output.result().metrics();
      return new Replayed(row.trialId(), m.accuracy(), row.accuracy(), m.params());
    } finally {
      broadcast.destroy();
    }
  }

  /** The row of {@code trial}: by trial id, or a plan id's trial of the highest budget. */
  static ResultRow find(ResultStore store, String trial, String dir) {
    List<ResultRow> rows = store.rows().stream().filter(ResultRow::ok).toList();
    return rows.stream().filter(r -> r.trialId().equals(trial)).findFirst()
        .or(() -> rows.stream().filter(r -> r.planId().equals(trial)).max(Comparator.comparingInt(ResultRow::budget)))
        .orElseThrow(() -> new IllegalArgumentException("no finished trial or plan '" + trial + "' in " + dir
            + "/results.jsonl; its trial_id and plan_id columns list them"));
  }
}
