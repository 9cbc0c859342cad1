package org.depprune.trial;

import org.depprune.backend.CpuEngines;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.SplittableRandom;
import org.depprune.data.BatchIterator;
import org.depprune.data.ExampleSet;
import org.depprune.data.Shuffle;
import org.depprune.importance.Criteria;
import org.depprune.importance.Importance;
import org.depprune.metrics.LatencyMeter;
import org.depprune.metrics.MacCounter;
import org.depprune.metrics.MacReport;
import org.depprune.model.ModelFiles;
import org.depprune.pruning.Pruner;
import org.depprune.train.BatchNormRecalibration;
import org.depprune.train.Distillation;
import org.depprune.train.Evaluator;
import org.depprune.train.Trainer;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What one search task does: loads the base model from its bytes (trains it first with a sparsity
 * penalty when the plan asks for a {@link SparseWarmup}), prunes it by the trial's plan, finetunes
 * it on {@code budget} images of its training partitions with the settings' {@link
 * org.depprune.train.FinetuneRecipe} (distilling from the base model when the plan says {@link
 * Plan#DISTILL}; a budget of 0 recalibrates its batch norms instead, EagleEye's cheap rung), and
 * measures validation accuracy (on the trial's share of the validation examples), MACs, parameters
 * and latency. A plan that {@link Plan#prunesNothing() prunes nothing} is the base model itself. Any failure, an out-of-memory error included, becomes
 * an error result instead of an exception, so one bad plan never stops a search.
 *
 * <p>Deterministic: the finetune order, dropout masks, calibration data and the random criterion
 * all come from the trial's seed and partition, and each task works on its own copy of the base.
 */
public final class TrialRunner {
  /** Mixed into the trial seed for the sparse warm-up's image order, a stream apart from the finetune's. */
  private static final long WARMUP_STREAM = 0x5DEECE66DL;
  private final byte[] baseModel;
  private final TrialSettings settings;

  /** @param baseModel the base model's zip bytes (a DL4J ComputationGraph or MultiLayerNetwork) */
  public TrialRunner(byte[] baseModel, TrialSettings settings) {
    this.baseModel = baseModel;
    this.settings = settings;
  }

  /** A trial's result and, when it succeeded, the pruned and finetuned network. */
  public record Outcome(TrialResult result, Model network) {}

  /**
   * Runs {@code trial}.
   *
   * @param train the training examples; the trial uses those at {@code partition} only
   * @param validation the examples every trial is scored on; null when they are scored elsewhere
   *     (a data set too large to broadcast: the result's accuracy is then NaN)
   */
  public Outcome run(Trial trial, ExampleSet train, int[] partition, ExampleSet validation) {
    long start = System.nanoTime();
    double prune = 0;
    double finetune = 0;
    try {
      CpuEngines.select(settings.engine());
      Nd4j.getEnvironment().setMaxThreads(settings.nd4jThreads());
      Model base = ModelFiles.load(baseModel, "the base model");
      Nd4j.getRandom().setSeed(trial.seed());
      Plan plan = trial.plan();
      String warmup = plan.options().get(Plan.SPARSE_WARMUP);
      if (warmup != null) {
        SparseWarmup sparse = SparseWarmup.parse(warmup);
        sparse.train(base, plan, settings, train, finetuneOrder(partition, sparse.images(), trial.seed() ^ WARMUP_STREAM));
      }
      Model pruned = plan.prunesNothing() ? base : prune(base, trial, train, partition);
      prune = seconds(start);

      long t = System.nanoTime();
      if (trial.budget() > 0) {
        int[] order = finetuneOrder(partition, trial.budget(), trial.seed());
        int batch = settings.finetuneBatchSize();
        var batches = BatchIterator.ordered(train, order, batch);
        String distill = plan.options().get(Plan.DISTILL);
        try (var recipe = settings.recipe().start(pruned, base, (order.length + batch - 1) / batch)) {
          if (distill == null) {
            Trainer.fit(pruned, batches, 1);
          } else {
            double[] tAlpha = distillation(distill);
            Model teacher = ModelFiles.load(baseModel, "the base model");
            Distillation.fit(pruned, teacher, batches, 1, tAlpha[0], tAlpha[1]);
          }
        }
      } else if (settings.recalibrationBatches() > 0) {
        int n = Math.min(partition.length, settings.recalibrationBatches() * settings.finetuneBatchSize());
        BatchNormRecalibration.recalibrate(pruned,
            BatchIterator.ordered(train, finetuneOrder(partition, n, trial.seed()), settings.finetuneBatchSize()));
      }
      finetune = seconds(t);

      t = System.nanoTime();
      int scored = validation == null ? 0 : validation.size();
      if (trial.validationExamples() > 0) {
        scored = Math.min(scored, trial.validationExamples());
      }
      double accuracy = validation == null ? Double.NaN
          : Evaluator.accuracy(pruned, BatchIterator.ordered(validation, firstN(scored), 500));
      MacReport macs = MacCounter.count(pruned, settings.inputType());
      Nd4j.getRandom().setSeed(trial.seed());
      INDArray input = Nd4j.rand(settings.batchShape(settings.latencyBatchSize()));
      // Alone: other trials in this executor pause their minibatches while this one is timed.
      var latency = LatencyMeter.measureAlone(pruned, input, settings.latencyWarmup(), settings.latencyRuns());
      double evaluate = seconds(t);

      var metrics = new TrialResult.Metrics(accuracy, macs.macs(), (double) macs.macs() / settings.baseMacs(),
          macs.params(), latency.value().medianMillis(), latency.concurrentHolders() == 0, scored);
      var timings = new TrialResult.Timings(prune, finetune, evaluate, seconds(start));
      return new Outcome(new TrialResult(trial, metrics, null, timings), pruned);
    } catch (Exception | OutOfMemoryError | AssertionError e) {
      var timings = new TrialResult.Timings(prune, finetune, 0, seconds(start));
      return new Outcome(new TrialResult(trial, null, TrialResult.Failure.of(e), timings), null);
    }
  }

  /** Reads {@link Plan#DISTILL}'s value {@code T/alpha}. */
  private static double[] distillation(String value) {
    String[] parts = value.split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("plan option " + Plan.DISTILL + " must read temperature/alpha, found '"
          + value + "'");
    }
    return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
  }

  private Model prune(Model base, Trial trial, ExampleSet train, int[] partition)
      throws IOException {
    Plan plan = trial.plan();
    int calibrationSize = Math.min(partition.length, settings.calibrationBatches() * settings.calibrationBatchSize());
    var calibration = BatchIterator.ordered(
        train, Arrays.copyOf(partition, calibrationSize), settings.calibrationBatchSize());
    Importance importance = Criteria.byName(plan.criterion(), trial.seed(), calibration, settings.calibrationBatches());
    Pruner pruner = Pruner.builder(importance)
        .optRatio(0)
        .optLayerRatios(plan.ratios())
        .optRoundTo(settings.roundTo())
        .optIgnoredLayers(new HashSet<>(settings.ignoredLayers()))
        .optInputTypes(settings.inputType())
        .build();
    return pruner.run(base).network();
  }

  /**
   * The {@code budget} training images a trial sees, in order: seeded permutations of the
   * partition, one after another, cut at the budget.
   */
  static int[] finetuneOrder(int[] partition, int budget, long seed) {
    if (partition.length == 0) {
      throw new IllegalArgumentException("the training partition is empty: use fewer partitions");
    }
    SplittableRandom random = new SplittableRandom(seed);
    int[] order = new int[budget];
    for (int filled = 0; filled < budget; ) {
      int[] pass = Shuffle.shuffled(partition, random);
      int n = Math.min(pass.length, budget - filled);
      System.arraycopy(pass, 0, order, filled, n);
      filled += n;
    }
    return order;
  }

  private static int[] firstN(int n) {
    return java.util.stream.IntStream.range(0, n).toArray();
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
