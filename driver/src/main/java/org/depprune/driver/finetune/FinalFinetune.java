package org.depprune.driver.finetune;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.depprune.data.BatchIterator;
import org.depprune.data.Examples;
import org.depprune.driver.data.Block;
import org.depprune.driver.data.SearchData;
import org.depprune.data.Shuffle;
import org.depprune.driver.config.SearchConfig;
import org.depprune.driver.results.FinalModel;
import org.depprune.driver.results.HadoopFiles;
import org.depprune.driver.results.ResultRow;
import org.depprune.driver.results.ResultStore;
import org.depprune.driver.results.SearchProvenance;
import org.depprune.metrics.MacCounter;
import org.depprune.metrics.MacReport;
import org.depprune.model.ModelFiles;
import org.depprune.network.Network;
import org.depprune.trial.Plan;
import org.depprune.trial.TrialSettings;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The last step of a search: chosen plans of the front are finetuned on the whole training split
 * with data-parallel training through dl4j-spark, then scored on the test set and saved with
 * their plan and provenance to {@code final/<plan>.zip} and {@code final/<plan>.json}.
 *
 * <p>Training master: parameter averaging ({@link ParameterAveragingTrainingMaster}). Each Spark
 * task trains a copy of the network on its share of the minibatches; every
 * {@code averaging-frequency} steps the copies' parameters and updater states are averaged on the
 * driver. Chosen over gradient sharing ({@code SharedTrainingMaster}) because the latter needs
 * {@code dl4j-spark-parameterserver} (only 1.0.0-M2, one release behind DL4J here) and an Aeron
 * UDP mesh between executors with a configured network mask and port on every platform, while
 * the pruned models are small (under a million parameters), so shipping whole parameter vectors
 * costs little next to the training.
 *
 * <p>The training data is the search's: its cached partitions, where they live. In each epoch,
 * every partition's examples are visited in a seeded permutation (seed from the plan, the epoch and
 * the partition), cut into minibatches; each averaging round takes the next few minibatches of every
 * partition, built by tasks over the cached partitions. The workers' dropout masks are seeded per
 * round and step ({@link SeededDropoutHook}), so the same plan and settings give the same model.
 */
public final class FinalFinetune {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** The least time between two garbage collections that the finetune asks for (see collectIfDue). */
  private static final long COLLECTION_INTERVAL_NS = 20_000_000_000L;

  private final SearchConfig config;
  private final PrintWriter out;
  private long lastCollection = System.nanoTime();

  public FinalFinetune(SearchConfig config, PrintWriter out) {
    this.config = config;
    this.out = out;
  }

  /**
   * For each MACs budget, the front's most accurate plan (by validation accuracy) at or under it;
   * a plan chosen by two budgets is finetuned once, under the smaller budget's name.
   */
  public static Map<ResultRow, Double> choose(List<ResultRow> front, List<Double> budgets) {
    Map<String, ResultRow> byPlan = new LinkedHashMap<>();
    Map<ResultRow, Double> chosen = new LinkedHashMap<>();
    budgets.stream().sorted().forEach(budget -> front.stream()
        .filter(r -> r.ok() && r.macsShare() <= budget)
        .max(java.util.Comparator.comparingDouble(ResultRow::accuracy).thenComparing(ResultRow::planId))
        .filter(best -> byPlan.putIfAbsent(best.planId(), best) == null)
        .ifPresent(best -> chosen.put(best, budget)));
    return chosen;
  }

  /**
   * What the final finetune works on: the base model, the search's cached data (its training
   * partitions, and the validation and test sets it scores on), where models go, and the number of
   * workers.
   */
  public record Context(JavaSparkContext sc, ResultStore store, Model base, SearchData data,
      SearchProvenance provenance, int workers) {}

  /** Finetunes the chosen plans of {@code front}; their models are read from {@code pareto/}. */
  public List<FinalModel> run(Context ctx, List<ResultRow> front) throws IOException {
    SearchConfig.Final settings = config.finalFinetune();
    Map<ResultRow, Double> chosen = choose(front, settings.macsBudgets());
    for (double budget : settings.macsBudgets()) {
      if (front.stream().noneMatch(r -> r.ok() && r.macsShare() <= budget)) {
        out.printf(Locale.ROOT, "final finetune: no front plan keeps at most %.1f%% of the base's MACs; skipped%n",
            100 * budget);
      }
    }
    List<FinalModel> results = new ArrayList<>();
    if (chosen.isEmpty()) {
      return results;
    }
    Nd4j.getEnvironment().setMaxThreads(config.nd4jThreads());
    Double baseTest = testAccuracy(ctx, ctx.base());
    if (baseTest != null) {
      out.printf(Locale.ROOT, "base model: test accuracy %.4f on %d examples%n", baseTest,
          ctx.data().description().testExamples());
    }
    for (Map.Entry<ResultRow, Double> e : chosen.entrySet()) {
      results.add(finetune(ctx, e.getKey(), e.getValue(), baseTest));
    }
    return results;
  }

  /** The test accuracy of {@code net}, or null when the data has no test set. */
  private Double testAccuracy(Context ctx, Model net) {
    return ctx.data().testScoring().map(t -> t.score(ctx.sc(), net, config.nd4jThreads()).accuracy()).orElse(null);
  }

  private double validationLoss(Context ctx, Model net) {
    return ctx.data().validationScoring().score(ctx.sc(), net, config.nd4jThreads()).loss();
  }

  private FinalModel finetune(Context ctx, ResultRow row, double budget, Double baseTest) throws IOException {
    JavaSparkContext sc = ctx.sc();
    int[] perPartition = examplesPerPartition(ctx);
    int trainExamples = java.util.Arrays.stream(perPartition).sum();
    int workers = ctx.workers();
    SearchConfig.Final settings = config.finalFinetune();
    long started = System.nanoTime();
    Model net;
    Path source = new Path(new Path(ctx.store().dir(), "pareto"), row.planId() + ".zip");
    try (InputStream in = ctx.store().fs().open(source)) {
      net = ModelFiles.load(in.readAllBytes(), source.toString());
    }
    int batch = settings.batchSizePerWorker();
    var master = new ParameterAveragingTrainingMaster.Builder(workers, batch)
        .batchSizePerWorker(batch)
        .averagingFrequency(settings.averagingFrequency())
        .workerPrefetchNumBatches(0)
        .saveUpdater(true)
        .rddTrainingApproach(RDDTrainingApproach.Direct)
        .rngSeed(row.seed())
        .build();
    SparkTrainer spark = SparkTrainer.of(sc, net, master);
    List<Double> valLoss = new ArrayList<>();
    valLoss.add(validationLoss(ctx, spark.network()));
    out.printf(Locale.ROOT, "final finetune of %s (%s, %.1f%% MACs, budget %.1f%%): %d epochs on %,d examples, "
        + "%d workers; validation loss %.4f%n", row.planId(), row.plan().criterion(), 100 * row.macsShare(),
        100 * budget, settings.epochs(), trainExamples, workers, valLoss.get(0));
    out.flush();
    sc.setJobGroup("depprune-final-" + config.hash(), "final finetune of " + row.planId(), true);
    for (int epoch = 0; epoch < settings.epochs(); epoch++) {
      if (settings.learningRate() > 0) {
        // The master copy's configuration travels to the workers with its parameters at every fit.
        Network.of(spark.network()).setLearningRate(settings.learningRate() * Math.pow(settings.lrDecay(), epoch));
      }
      // One fit per averaging round (workers x averaging-frequency minibatches). Given a whole
      // epoch, the training master caches it and filters it once per round, deserialising every
      // minibatch each time: gigabytes of native memory per epoch that only a GC gives back.
      long epochSeed = epochSeed(row.seed(), epoch);
      SplittableRandom roundSeeds = new SplittableRandom(~epochSeed);
      int partitions = perPartition.length;
      // each round takes `each` minibatches of every partition: about workers x averaging-frequency in all
      int each = Math.max(1, (workers * settings.averagingFrequency() + partitions - 1) / partitions);
      int rounds = java.util.Arrays.stream(perPartition).map(n -> (n + batch - 1) / batch)
          .map(b -> (b + each - 1) / each).max().orElse(0);
      for (int r = 0; r < rounds; r++) {
        JavaRDD<DataSet> round = minibatches(ctx.data().train(), perPartition, batch, epochSeed, r * each, each);
        // The round's dropout seeds travel to the workers with the hook, which the master hands them at fit.
        TrainingHook dropout = new SeededDropoutHook(roundSeeds.nextLong());
        master.addHook(dropout);
        spark.fit(round);
        master.removeHook(dropout);
        round.unpersist(false);
        collectIfDue();
      }
      valLoss.add(validationLoss(ctx, spark.network()));
      out.printf(Locale.ROOT, "  epoch %d/%d: validation loss %.4f (%s)%n", epoch + 1, settings.epochs(),
          valLoss.get(valLoss.size() - 1), memory());
      out.flush();
    }
    return score(ctx, row, budget, spark.network(), valLoss, baseTest, started);
  }

  /**
   * Runs a full garbage collection when the last one it ran (or the start) is
   * {@link #COLLECTION_INTERVAL_NS} old. Every round leaves garbage whose native ND4J buffers (network
   * copies, minibatches) are freed only when the JVM collects their small Java owners; once the
   * search has grown the heap, the old generation holding them is rarely collected, and resident
   * memory grew by about 1.8 GB per epoch (BENCHMARKS.md, "Final model"). With {@code local[N]}
   * the workers share this JVM, so this covers them too.
   */
  private void collectIfDue() {
    if (System.nanoTime() - lastCollection >= COLLECTION_INTERVAL_NS) {
      System.gc();
      lastCollection = System.nanoTime();
    }
  }

  /** The driver JVM's memory and garbage-collection time, for the epoch line. */
  private static String memory() {
    double gcSeconds = ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum() / 1e3;
    return String.format(Locale.ROOT, "driver JVM: %.2f GB resident, heap %.2f GB committed, %.1f s in garbage "
        + "collection so far", Pointer.physicalBytes() / 1e9, Runtime.getRuntime().totalMemory() / 1e9, gcSeconds);
  }

  /** Scores the finetuned model, saves it with its provenance, and returns what it reached. */
  private FinalModel score(Context ctx, ResultRow row, double budget, Model trained, List<Double> valLoss,
      Double baseTest, long started) throws IOException {
    SearchConfig.Final settings = config.finalFinetune();
    int trainExamples = java.util.Arrays.stream(examplesPerPartition(ctx)).sum();
    FileSystem fs = ctx.store().fs();
    Nd4j.getEnvironment().setMaxThreads(config.nd4jThreads());
    double valAccuracy = ctx.data().validationScoring().score(ctx.sc(), trained, config.nd4jThreads()).accuracy();
    Double testAccuracy = testAccuracy(ctx, trained);
    MacReport macs = MacCounter.count(trained,
        TrialSettings.inputType(ctx.data().exampleShape(), ctx.data().channelsLast()));

    Path dir = new Path(ctx.store().dir(), "final");
    fs.mkdirs(dir);
    Path model = new Path(dir, row.planId() + ".zip");
    Plan plan = row.plan();
    var saved = new FinalProvenance(ModelFiles.PROVENANCE_FORMAT, config.baseModel(),
        plan.id(), plan.criterion(), plan.ratios(), row.trialId(), "parameter-averaging", settings.epochs(),
        settings.batchSizePerWorker(), settings.averagingFrequency(), ctx.workers(), settings.learningRate(),
        settings.lrDecay(), trainExamples, row.seed(), List.copyOf(valLoss), valAccuracy, testAccuracy,
        ctx.data().labels().names(), ctx.provenance().configHash(), ctx.provenance().versions(),
        Instant.now().toString());
    fs.setWriteChecksum(false);
    HadoopFiles.replace(fs, model, o -> ModelFiles.write(trained, o, saved));
    FinalModel result = new FinalModel(row.planId(), plan.criterion(), budget, row.macsShare(), macs.macs(),
        trained.numParams(), row.accuracy(), row.testAccuracy(), List.copyOf(valLoss), valAccuracy, testAccuracy,
        baseTest, trainExamples, ctx.workers(), (System.nanoTime() - started) / 1e9, model.toString());
    try (OutputStream o = fs.create(new Path(dir, row.planId() + ".json"), true)) {
      o.write(JSON.writeValueAsBytes(result));
    }
    String test = testAccuracy == null ? "no test set"
        : String.format(Locale.ROOT, "test accuracy %.4f (base %.4f, %+.2f pt)", testAccuracy, baseTest,
            100 * (testAccuracy - baseTest));
    out.printf(Locale.ROOT, "  %s: validation accuracy %.4f (search %.4f), %s at %.2fx fewer MACs; model %s%n",
        row.planId(), valAccuracy, row.accuracy(), test, 1 / row.macsShare(), model);
    out.flush();
    return result;
  }

  /**
   * How many examples of each training partition an epoch visits: all, or, with
   * {@code final.train-examples}, that many in all, shared in proportion to the partitions' sizes.
   */
  private int[] examplesPerPartition(Context ctx) {
    List<Long> sizes = ctx.data().description().partitionSizes();
    long total = sizes.stream().mapToLong(Long::longValue).sum();
    int limit = config.finalFinetune().trainExamples();
    return sizes.stream().mapToInt(n -> limit == 0 || limit >= total ? n.intValue()
        : (int) Math.min(n, Math.ceil((double) limit * n / total))).toArray();
  }

  /** One epoch's minibatches of a partition of {@code examples} examples, as indices: a seeded permutation cut into batches. */
  static List<int[]> epochBatches(int examples, int batch, long seed) {
    int[] all = java.util.stream.IntStream.range(0, examples).toArray();
    int[] order = Shuffle.shuffled(all, new SplittableRandom(seed));
    List<int[]> batches = new ArrayList<>();
    for (int start = 0; start < order.length; start += batch) {
      batches.add(java.util.Arrays.copyOfRange(order, start, Math.min(order.length, start + batch)));
    }
    return batches;
  }

  /**
   * Minibatches {@code [first, first + count)} of every partition's epoch order, built by tasks
   * over the cached partitions; partition p's order is seeded by the epoch seed and p, and visits
   * its first {@code perPartition[p]} examples.
   */
  static JavaRDD<DataSet> minibatches(JavaRDD<Block> train, int[] perPartition, int batch, long epochSeed, int first,
      int count) {
    return train.mapPartitionsWithIndex((p, blocks) -> {
      List<DataSet> out = new ArrayList<>();
      while (blocks.hasNext()) {
        Examples examples = blocks.next().examples();
        int n = Math.min(perPartition[p], examples.size());
        List<int[]> batches = epochBatches(n, batch, epochSeed + 0x9E3779B97F4A7C15L * (p + 1));
        for (int b = first; b < Math.min(batches.size(), first + count); b++) {
          out.add(BatchIterator.ordered(examples, batches.get(b), batches.get(b).length).next());
        }
      }
      return out.iterator();
    }, true);
  }

  /** The epoch's shuffling seed: the epoch-th draw of a generator seeded by the plan. */
  static long epochSeed(long planSeed, int epoch) {
    SplittableRandom random = new SplittableRandom(planSeed);
    long seed = random.nextLong();
    for (int i = 0; i < epoch; i++) {
      seed = random.nextLong();
    }
    return seed;
  }
}

