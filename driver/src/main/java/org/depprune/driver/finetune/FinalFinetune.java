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
import org.depprune.driver.results.Binomial;
import org.depprune.driver.results.FinalModel;
import org.depprune.driver.data.Scoring;
import org.depprune.driver.execution.TrialTask;
import org.depprune.train.FinetuneRecipe;
import org.depprune.train.TeacherLabels;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import java.util.Set;
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
   * For each MACs budget, the most accurate uniform plan of the last round at or under it: the plan
   * a user would have picked by hand, finetuned the same way as the search's choice so the summary
   * says what the search gained after recovery. Absent for a budget whose choice is that plan, or
   * that no uniform plan of the last round fits.
   */
  public static Map<ResultRow, Double> uniformBaselines(List<ResultRow> lastRound, Map<ResultRow, Double> chosen) {
    Map<ResultRow, Double> baselines = new LinkedHashMap<>();
    Set<String> plans = new java.util.HashSet<>();
    chosen.keySet().forEach(r -> plans.add(r.planId()));
    chosen.forEach((winner, budget) -> lastRound.stream()
        .filter(r -> r.ok() && r.origin().equals("uniform") && r.macsShare() <= budget)
        .max(java.util.Comparator.comparingDouble(ResultRow::accuracy).thenComparing(ResultRow::planId))
        .filter(u -> plans.add(u.planId()))
        .ifPresent(u -> baselines.put(u, budget)));
    return baselines;
  }

  /**
   * What the final finetune works on: the base model (and its bytes, for the workers), the search's
   * cached data (its training partitions, and the validation and test sets it scores on), where
   * models go, the number of slots, and the last round's rows (where the uniform baselines come from).
   */
  public record Context(JavaSparkContext sc, ResultStore store, Model base, byte[] baseBytes, SearchData data,
      SearchProvenance provenance, int slots, List<ResultRow> lastRound) {}

  /** Finetunes the chosen plans of {@code front} (and the uniform baselines); their models are read from the trials. */
  public List<FinalModel> run(Context ctx, List<ResultRow> front) throws IOException, InterruptedException {
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
    Map<ResultRow, Double> baselines = settings.uniformBaseline() ? uniformBaselines(ctx.lastRound(), chosen) : Map.of();
    List<Job> jobs = new ArrayList<>();
    chosen.forEach((row, budget) -> jobs.add(new Job(row, budget, FinalModel.SEARCH)));
    baselines.forEach((row, budget) -> jobs.add(new Job(row, budget, FinalModel.UNIFORM)));
    Nd4j.getEnvironment().setMaxThreads(config.nd4jThreads());
    Scoring.Score baseScore = ctx.data().testScoring().map(t -> t.score(ctx.sc(), ctx.base(), config.nd4jThreads()))
        .orElse(null);
    Double baseTest = baseScore == null ? null : baseScore.accuracy();
    if (baseTest != null) {
      out.printf(Locale.ROOT, "base model: test accuracy %s on %d examples%n",
          Binomial.format(baseTest, Binomial.standardError(baseTest, baseScore.examples())), baseScore.examples());
    }
    int workers = workers(ctx);
    out.printf(Locale.ROOT, "final finetune: %d plan(s), %d epochs each, %s%s%s%n", jobs.size(), settings.epochs(),
        workers == 1 ? "one worker each (plans side by side on " + ctx.slots() + " slots)"
            : workers + " workers each (data-parallel, parameter averaging)",
        settings.distill() ? ", distilled from the base model" : "", ", schedule " + settings.schedule());
    out.flush();
    if (workers == 1) {
      results.addAll(new OneWorkerFinetune(config, out).run(ctx, jobs, baseTest, this::score));
    } else {
      for (Job job : jobs) {
        results.add(finetuneDataParallel(ctx, job, baseTest, workers));
      }
    }
    return results;
  }

  /** A plan to finetune at the end: the search's choice for a budget, or that budget's best uniform plan. */
  record Job(ResultRow row, double budget, String role) {}

  /** How many workers train each plan: {@code final.workers}, or (0) every slot. */
  private int workers(Context ctx) {
    int w = config.finalFinetune().workers();
    return w == 0 ? ctx.slots() : w;
  }

  /** The model a job continues from: its trial's, re-created from its plan when it was not saved. */
  static Model startingModel(Context ctx, ResultRow row) throws IOException {
    Path source = new Path(new Path(ctx.store().dir(), "pareto"), row.planId() + ".zip");
    if (!ctx.store().fs().exists(source)) {
      source = TrialTask.modelPath(new Path(ctx.store().dir(), "trials").toString(), row.trialId());
    }
    try (InputStream in = ctx.store().fs().open(source)) {
      return ModelFiles.load(in.readAllBytes(), source.toString());
    }
  }

  /** The rate of epoch {@code epoch} (from 0) at step {@code step} of {@code steps} in all. */
  double rate(Model base, int epoch, long step, long steps) {
    SearchConfig.Final settings = config.finalFinetune();
    FinetuneRecipe recipe = settings.recipe(config.finetune().recipe());
    return recipe.peakRate(base) * settings.epochFactor(epoch) * recipe.schedule().factor(step, steps);
  }

  private FinalModel finetuneDataParallel(Context ctx, Job job, Double baseTest, int workers) throws IOException {
    ResultRow row = job.row();
    JavaSparkContext sc = ctx.sc();
    int[] perPartition = examplesPerPartition(ctx);
    int trainExamples = java.util.Arrays.stream(perPartition).sum();
    SearchConfig.Final settings = config.finalFinetune();
    long started = System.nanoTime();
    Model net = startingModel(ctx, row);
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
    out.printf(Locale.ROOT, "final finetune of %s (%s, %s, %.1f%% MACs, budget %.1f%%): %d epochs on %,d examples, "
        + "%d workers; validation loss %.4f%n", row.planId(), job.role(), row.plan().criterion(), 100 * row.macsShare(),
        100 * job.budget(), settings.epochs(), trainExamples, workers, valLoss.get(0));
    out.flush();
    sc.setJobGroup("depprune-final-" + config.hash(), "final finetune of " + row.planId(), true);
    Network master0 = Network.of(spark.network());
    OwnUpdaters own = OwnUpdaters.capture(master0);
    Distilling distilling = settings.distill() ? new Distilling(config.recovery().temperature(),
        config.recovery().alpha(), ctx.baseBytes()) : null;
    int partitions = perPartition.length;
    // each round takes `each` minibatches of every partition: about workers x averaging-frequency in all
    int each = Math.max(1, (workers * settings.averagingFrequency() + partitions - 1) / partitions);
    int rounds = java.util.Arrays.stream(perPartition).map(n -> (n + batch - 1) / batch)
        .map(b -> (b + each - 1) / each).max().orElse(0);
    long totalRounds = (long) rounds * settings.epochs();
    for (int epoch = 0; epoch < settings.epochs(); epoch++) {
      // One fit per averaging round (workers x averaging-frequency minibatches). Given a whole
      // epoch, the training master caches it and filters it once per round, deserialising every
      // minibatch each time: gigabytes of native memory per epoch that only a GC gives back.
      long epochSeed = epochSeed(row.seed(), epoch);
      SplittableRandom roundSeeds = new SplittableRandom(~epochSeed);
      for (int r = 0; r < rounds; r++) {
        // The master copy's configuration travels to the workers with its parameters at every fit.
        Network.of(spark.network()).setLearningRate(rate(ctx.base(), epoch, (long) epoch * rounds + r, totalRounds));
        JavaRDD<DataSet> round = minibatches(ctx.data().train(), perPartition, batch, epochSeed, r * each, each,
            distilling);
        // The round's dropout seeds travel to the workers with the hook, which the master hands them at fit.
        TrainingHook dropout = new SeededDropoutHook(roundSeeds.nextLong());
        master.addHook(dropout);
        ILossFunction plain = distilling == null ? null : Distilling.use(spark.network(), distilling);
        try {
          spark.fit(round);
        } finally {
          if (plain != null) {
            Distilling.restore(spark.network(), plain);
          }
        }
        master.removeHook(dropout);
        round.unpersist(false);
        collectIfDue();
      }
      valLoss.add(validationLoss(ctx, spark.network()));
      out.printf(Locale.ROOT, "  epoch %d/%d: validation loss %.4f (%s)%n", epoch + 1, settings.epochs(),
          valLoss.get(valLoss.size() - 1), memory());
      out.flush();
    }
    Model trained = spark.network();
    own.restore(Network.of(trained));
    return score(ctx, job, trained, valLoss, baseTest, started, workers, "parameter-averaging");
  }

  private double validationLoss(Context ctx, Model net) {
    return ctx.data().validationScoring().score(ctx.sc(), net, config.nd4jThreads()).loss();
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
  FinalModel score(Context ctx, Job job, Model trained, List<Double> valLoss, Double baseTest, long started,
      int workers, String trainingMaster) throws IOException {
    ResultRow row = job.row();
    SearchConfig.Final settings = config.finalFinetune();
    int trainExamples = java.util.Arrays.stream(examplesPerPartition(ctx)).sum();
    FileSystem fs = ctx.store().fs();
    Nd4j.getEnvironment().setMaxThreads(config.nd4jThreads());
    Scoring.Score val = ctx.data().validationScoring().score(ctx.sc(), trained, config.nd4jThreads());
    Scoring.Score test = ctx.data().testScoring().map(t -> t.score(ctx.sc(), trained, config.nd4jThreads()))
        .orElse(null);
    Double testAccuracy = test == null ? null : test.accuracy();
    MacReport macs = MacCounter.count(trained,
        TrialSettings.inputType(ctx.data().exampleShape(), ctx.data().channelsLast()));

    Path dir = new Path(ctx.store().dir(), "final");
    fs.mkdirs(dir);
    Path model = new Path(dir, row.planId() + ".zip");
    Plan plan = row.plan();
    var saved = new FinalProvenance(ModelFiles.PROVENANCE_FORMAT, config.baseModel(),
        plan.id(), plan.criterion(), plan.ratios(), row.trialId(), trainingMaster, settings.epochs(),
        settings.batchSizePerWorker(), settings.averagingFrequency(), workers, settings.learningRate(),
        settings.lrDecay(), settings.schedule(), settings.distill(), job.role(), trainExamples, row.seed(),
        List.copyOf(valLoss), val.accuracy(), testAccuracy, ctx.data().labels().names(),
        ctx.provenance().configHash(), ctx.provenance().versions(), Instant.now().toString());
    fs.setWriteChecksum(false);
    HadoopFiles.replace(fs, model, o -> ModelFiles.write(trained, o, saved));
    FinalModel result = new FinalModel(row.planId(), plan.criterion(), job.role(), row.origin(), job.budget(),
        row.macsShare(), macs.macs(), trained.numParams(), row.accuracy(), row.testAccuracy(), List.copyOf(valLoss),
        val.accuracy(), val.examples(), testAccuracy, test == null ? 0 : test.examples(), baseTest, trainExamples,
        workers, (System.nanoTime() - started) / 1e9, model.toString());
    try (OutputStream o = fs.create(new Path(dir, row.planId() + ".json"), true)) {
      o.write(JSON.writeValueAsBytes(result));
    }
    String testText = testAccuracy == null ? "no test set"
        : String.format(Locale.ROOT, "test accuracy %s (base %.4f, %+.2f pt)",
            Binomial.format(testAccuracy, result.testAccuracyError()), baseTest, 100 * (testAccuracy - baseTest));
    out.printf(Locale.ROOT, "  %s (%s): validation accuracy %s (search %.4f), %s at %.2fx fewer MACs; model %s%n",
        row.planId(), job.role(), Binomial.format(val.accuracy(), result.valAccuracyError()), row.accuracy(), testText,
        1 / row.macsShare(), model);
    out.flush();
    return result;
  }

  /**
   * How many examples of each training partition an epoch visits: all, or, with
   * {@code final.train-examples}, that many in all, shared in proportion to the partitions' sizes.
   */
  private int[] examplesPerPartition(Context ctx) {
    return examplesPerPartition(ctx.data(), config.finalFinetune().trainExamples());
  }

  /** {@link #examplesPerPartition(Context)} for {@code data} and a limit (0: none). */
  static int[] examplesPerPartition(SearchData data, int limit) {
    List<Long> sizes = data.description().partitionSizes();
    long total = sizes.stream().mapToLong(Long::longValue).sum();
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
    return minibatches(train, perPartition, batch, epochSeed, first, count, null);
  }

  /** {@link #minibatches}, with the teacher's probabilities appended to the labels when {@code distilling}. */
  static JavaRDD<DataSet> minibatches(JavaRDD<Block> train, int[] perPartition, int batch, long epochSeed, int first,
      int count, Distilling distilling) {
    return train.mapPartitionsWithIndex((p, blocks) -> {
      List<DataSet> out = new ArrayList<>();
      Network teacher = distilling == null ? null : distilling.teacher();
      while (blocks.hasNext()) {
        Examples examples = blocks.next().examples();
        int n = Math.min(perPartition[p], examples.size());
        List<int[]> batches = epochBatches(n, batch, epochSeed + 0x9E3779B97F4A7C15L * (p + 1));
        for (int b = first; b < Math.min(batches.size(), first + count); b++) {
          var iterator = BatchIterator.ordered(examples, batches.get(b), batches.get(b).length);
          out.add(teacher == null ? iterator.next() : new TeacherLabels(iterator, teacher).next());
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

