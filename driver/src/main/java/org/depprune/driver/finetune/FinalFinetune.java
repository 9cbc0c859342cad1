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
import org.apache.spark.broadcast.Broadcast;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.depprune.data.ImageBatchIterator;
import org.depprune.data.LabeledImages;
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
import org.depprune.train.Evaluator;
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
 * <p>Each epoch's minibatches are a seeded permutation of the training split (seed from the
 * search seed, the plan and the epoch); the images travel as one broadcast, and each averaging
 * round is its own small RDD of index ranges from which the tasks build their minibatches. The
 * workers' dropout masks are seeded per round and step ({@link SeededDropoutHook}), so the same
 * plan and settings give the same model.
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
   * What the final finetune works on: the base model, the training images with the training
   * split's indices into them, the validation and test images it scores on, where models go, and
   * the number of workers.
   */
  public record Context(JavaSparkContext sc, ResultStore store, Model base, LabeledImages train, int[] trainSplit,
      LabeledImages validation, LabeledImages test, SearchProvenance provenance, int workers) {}

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
    double baseTest = Evaluator.accuracy(ctx.base(), ImageBatchIterator.ordered(ctx.test(), 500));
    out.printf(Locale.ROOT, "base model: test accuracy %.4f on %d images%n", baseTest, ctx.test().size());
    Broadcast<LabeledImages> images = ctx.sc().broadcast(ctx.train());
    try {
      for (Map.Entry<ResultRow, Double> e : chosen.entrySet()) {
        results.add(finetune(ctx, e.getKey(), e.getValue(), images, baseTest));
      }
    } finally {
      images.destroy();
    }
    return results;
  }

  private FinalModel finetune(Context ctx, ResultRow row, double budget, Broadcast<LabeledImages> images, double baseTest)
      throws IOException {
    JavaSparkContext sc = ctx.sc();
    int[] trainIndices = trainIndices(ctx);
    LabeledImages validation = ctx.validation();
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
    valLoss.add(Evaluator.loss(spark.network(), ImageBatchIterator.ordered(validation, 500)));
    out.printf(Locale.ROOT, "final finetune of %s (%s, %.1f%% MACs, budget %.1f%%): %d epochs on %,d images, "
        + "%d workers; validation loss %.4f%n", row.planId(), row.plan().criterion(), 100 * row.macsShare(),
        100 * budget, settings.epochs(), trainIndices.length, workers, valLoss.get(0));
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
      List<int[]> epochBatches = epochBatches(trainIndices, batch, epochSeed);
      SplittableRandom roundSeeds = new SplittableRandom(~epochSeed);
      int perRound = workers * settings.averagingFrequency();
      for (int first = 0; first < epochBatches.size(); first += perRound) {
        JavaRDD<DataSet> round = minibatches(sc, images,
            new ArrayList<>(epochBatches.subList(first, Math.min(epochBatches.size(), first + perRound))), workers);
        // The round's dropout seeds travel to the workers with the hook, which the master hands them at fit.
        TrainingHook dropout = new SeededDropoutHook(roundSeeds.nextLong());
        master.addHook(dropout);
        spark.fit(round);
        master.removeHook(dropout);
        round.unpersist(false);
        collectIfDue();
      }
      valLoss.add(Evaluator.loss(spark.network(), ImageBatchIterator.ordered(validation, 500)));
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
      double baseTest, long started) throws IOException {
    SearchConfig.Final settings = config.finalFinetune();
    LabeledImages validation = ctx.validation();
    int[] trainIndices = trainIndices(ctx);
    FileSystem fs = ctx.store().fs();
    Nd4j.getEnvironment().setMaxThreads(config.nd4jThreads());
    double valAccuracy = Evaluator.accuracy(trained, ImageBatchIterator.ordered(validation, 500));
    double testAccuracy = Evaluator.accuracy(trained, ImageBatchIterator.ordered(ctx.test(), 500));
    MacReport macs = MacCounter.count(trained, InputType.convolutional(validation.rows(), validation.cols(), 1));

    Path dir = new Path(ctx.store().dir(), "final");
    fs.mkdirs(dir);
    Path model = new Path(dir, row.planId() + ".zip");
    Plan plan = row.plan();
    var saved = new FinalProvenance(ModelFiles.PROVENANCE_FORMAT, config.baseModel(),
        plan.id(), plan.criterion(), plan.ratios(), row.trialId(), "parameter-averaging", settings.epochs(),
        settings.batchSizePerWorker(), settings.averagingFrequency(), ctx.workers(), settings.learningRate(),
        settings.lrDecay(), trainIndices.length, row.seed(), List.copyOf(valLoss), valAccuracy, testAccuracy, ctx.provenance().configHash(), ctx.provenance().versions(),
        Instant.now().toString());
    fs.setWriteChecksum(false);
    HadoopFiles.replace(fs, model, o -> ModelFiles.write(trained, o, saved));
    FinalModel result = new FinalModel(row.planId(), plan.criterion(), budget, row.macsShare(), macs.macs(),
        trained.numParams(), row.accuracy(), row.testAccuracy(), List.copyOf(valLoss), valAccuracy, testAccuracy,
        baseTest, trainIndices.length, ctx.workers(), (System.nanoTime() - started) / 1e9, model.toString());
    try (OutputStream o = fs.create(new Path(dir, row.planId() + ".json"), true)) {
      o.write(JSON.writeValueAsBytes(result));
    }
    out.printf(Locale.ROOT, "  %s: validation accuracy %.4f (search %.4f), test accuracy %.4f (base %.4f, %+.2f pt) "
        + "at %.2fx fewer MACs; model %s%n", row.planId(), valAccuracy, row.accuracy(), testAccuracy, baseTest,
        100 * (testAccuracy - baseTest), 1 / row.macsShare(), model);
    out.flush();
    return result;
  }

  /** The training split, or its first {@code final.train-examples} images (the split is seeded). */
  private int[] trainIndices(Context ctx) {
    int[] split = ctx.trainSplit();
    int n = config.finalFinetune().trainExamples();
    return n == 0 || n >= split.length ? split : java.util.Arrays.copyOf(split, n);
  }

  /** One epoch's minibatches, as indices: a seeded permutation of {@code indices} cut into batches. */
  static List<int[]> epochBatches(int[] indices, int batch, long seed) {
    int[] order = Shuffle.shuffled(indices, new SplittableRandom(seed));
    List<int[]> batches = new ArrayList<>();
    for (int start = 0; start < order.length; start += batch) {
      batches.add(java.util.Arrays.copyOfRange(order, start, Math.min(order.length, start + batch)));
    }
    return batches;
  }

  /** The minibatches of {@code batches}, built in the tasks from the broadcast images. */
  static JavaRDD<DataSet> minibatches(JavaSparkContext sc, Broadcast<LabeledImages> images, List<int[]> batches,
      int slices) {
    return sc.parallelize(batches, Math.max(1, Math.min(slices, batches.size())))
        .map(b -> ImageBatchIterator.ordered(images.value(), b, b.length).next());
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

