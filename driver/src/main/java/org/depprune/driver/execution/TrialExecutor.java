package org.depprune.driver.execution;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.Map;
import java.util.function.Function;
import java.util.ArrayList;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.depprune.driver.config.SearchConfig.Scheduling;
import org.depprune.data.Examples;
import org.depprune.driver.data.Block;
import org.depprune.driver.data.Scoring;
import org.depprune.driver.data.SearchData;
import org.depprune.driver.results.Execution;
import org.depprune.trial.Trial;
import org.depprune.trial.TrialResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts trials on Spark, each task on the cached training partition its plan picks (a job over that
 * one partition, so Spark schedules it where the partition is cached). When the validation set is
 * too large to broadcast, a trial's saved model is then scored from the validation set's cached
 * partitions, one more job. {@link Scheduling#ASYNC}: each trial is its own one-task Spark job,
 * submitted from a pool of {@code slots} driver threads, so a slot that finishes takes the next
 * trial at once (the way Hyperopt's SparkTrials keeps slots busy). {@link Scheduling#STAGE}: a
 * round is one Spark stage with one task per trial. Every job runs in the search's job group,
 * so the Spark UI shows them together. A Spark job that fails for good (after Spark's own task
 * retries) becomes an error row for its trial; when a round's stage fails, its trials run again
 * one job each, so that only the trial whose task fails again becomes an error row (trials are
 * deterministic, so the others give the rows they would have given in the stage).
 */
public final class TrialExecutor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrialExecutor.class);

  private final JavaSparkContext sc;
  private final Broadcast<TrialContext> context;
  private final Function<Trial, JavaRDD<scala.Tuple2<Integer, Block>>> partitions;
  private final Scoring validation;
  private final Scoring earlyValidation;
  private final int slots;
  private final Scheduling scheduling;
  private final String jobGroup;
  private final Task task;
  private final ExecutorService pool;

  /** What a Spark task does with one trial: its training examples read, whether to save its model. */
  @FunctionalInterface
  interface Task extends java.io.Serializable {
    TrialTask.Output run(Trial trial, Examples train, TrialContext context, boolean save);
  }

  /**
   * @param partitions the cached training partitions of a trial, each with its index ({@link
   *     SearchData#trainPartitions})
   * @param validation null when trials score themselves on the broadcast validation set; else the
   *     scoring of their saved models on the validation set's cached partitions
   * @param earlyValidation with {@code validation}, the scoring of trials that score fewer examples
   *     (the screening rounds)
   */
  public TrialExecutor(JavaSparkContext sc, Broadcast<TrialContext> context,
      Function<Trial, JavaRDD<scala.Tuple2<Integer, Block>>> partitions, Scoring validation, Scoring earlyValidation,
      int slots, Scheduling scheduling, String jobGroup) {
    this(sc, context, partitions, validation, earlyValidation, slots, scheduling, jobGroup, TrialTask::run);
  }

  /** An executor whose tasks run {@code task} instead of {@link TrialTask#run} (tests give a failing one). */
  TrialExecutor(JavaSparkContext sc, Broadcast<TrialContext> context,
      Function<Trial, JavaRDD<scala.Tuple2<Integer, Block>>> partitions, Scoring validation, Scoring earlyValidation,
      int slots, Scheduling scheduling, String jobGroup, Task task) {
    this.task = task;
    this.sc = sc;
    this.context = context;
    this.partitions = partitions;
    this.validation = validation;
    this.earlyValidation = earlyValidation;
    this.slots = slots;
    this.scheduling = scheduling;
    this.jobGroup = jobGroup;
    this.pool = Executors.newFixedThreadPool(slots, r -> {
      Thread t = new Thread(r, "depprune-trial-submitter");
      t.setDaemon(true);
      return t;
    });
  }

  public int slots() {
    return slots;
  }

  /**
   * Runs one trial as its own Spark job, in the calling thread.
   *
   * @param keepModel whether the trial's model stays in the trials directory (else none is saved,
   *     or, when the validation set is scored from partitions, it is deleted once scored)
   */
  public TrialTask.Output runOne(Trial trial, boolean keepModel) {
    sc.setJobGroup(jobGroup, "trial " + trial.id() + " (" + trial.plan().criterion() + ", budget " + trial.budget() + ")", true);
    TrialTask.Output output;
    try {
      output = job(trial, keepModel).collect().get(0);
    } catch (Exception e) { // SparkException is checked, though Scala does not declare it
      return failed(trial, e);
    }
    return validated(List.of(output), keepModel).get(0);
  }

  /** The one-task job of {@code trial}: its partitions read in order, the trial run on them. */
  private JavaRDD<TrialTask.Output> job(Trial trial, boolean keepModel) {
    Broadcast<TrialContext> ctx = context;
    Task work = task;
    boolean save = keepModel || validation != null;
    return partitions.apply(trial).mapPartitions(blocks -> {
      List<scala.Tuple2<Integer, Block>> read = new ArrayList<>();
      blocks.forEachRemaining(read::add);
      List<Block> ordered = SearchData.inReadingOrder(read, trial.partition());
      Examples train = ordered.size() == 1 ? ordered.get(0).examples()
          : Examples.concat(ordered.get(0).examples().exampleShape(), ordered.get(0).examples().numClasses(),
              ordered.stream().map(Block::examples).toList());
      return List.of(work.run(trial, train, ctx.value(), save)).iterator();
    });
  }

  /**
   * The outputs with their validation accuracy, when the trials could not score themselves (the
   * validation set lives in cached partitions): every ok trial's saved model scored in one job per
   * validation size; models not kept are deleted afterwards.
   */
  private List<TrialTask.Output> validated(List<TrialTask.Output> outputs, boolean keepModels) {
    if (validation == null) {
      return outputs;
    }
    Map<String, Scoring.Score> scores = new java.util.HashMap<>();
    TrialContext ctx = context.value();
    try {
      for (boolean early : List.of(false, true)) {
        List<String> ids = outputs.stream().filter(o -> o.result().ok())
            .filter(o -> (o.result().trial().validationExamples() > 0) == early)
            .map(o -> o.result().trial().id()).toList();
        scores.putAll((early ? earlyValidation : validation).scores(sc, ids, ctx.trialsDir(), ctx.hadoop(),
            ctx.settings().nd4jThreads()));
      }
    } catch (Exception e) {
      return outputs.stream().map(o -> o.result().ok() ? failed(o.result().trial(), e) : o).toList();
    } finally {
      if (!keepModels) {
        outputs.forEach(o -> TrialTask.deleteModel(o.result().trial(), ctx));
      }
    }
    return outputs.stream().map(o -> {
      if (!o.result().ok()) {
        return o;
      }
      TrialResult r = o.result();
      Scoring.Score score = scores.get(r.trial().id());
      var scored = r.metrics().withAccuracy(score.accuracy(), score.examples());
      return new TrialTask.Output(new TrialResult(r.trial(), scored, null, r.timings()), o.execution());
    }).toList();
  }

  /**
   * Runs {@code trials}, handing each output to {@code onDone} in the calling thread as it arrives.
   *
   * @param keepModels whether the trials' models stay in the trials directory
   */
  public void runAll(List<Trial> trials, boolean keepModels, Consumer<TrialTask.Output> onDone)
      throws InterruptedException {
    if (trials.isEmpty()) {
      return;
    }
    if (scheduling == Scheduling.STAGE) {
      sc.setJobGroup(jobGroup, "round of " + trials.size() + " trials", true);
      List<TrialTask.Output> outputs;
      try {
        List<JavaRDD<TrialTask.Output>> each = trials.stream().map(t -> job(t, keepModels)).toList();
        outputs = validated(sc.union(each.toArray(JavaRDD[]::new)).collect(), keepModels);
      } catch (Exception e) {
        LOG.warn("the stage of {} trials failed ({}); running them one job each", trials.size(), e.getMessage());
        runEach(trials, keepModels, onDone);
        return;
      }
      outputs.forEach(onDone);
      return;
    }
    runEach(trials, keepModels, onDone);
  }

  /** Runs every trial as its own job from the pool, handing outputs to {@code onDone} as they arrive. */
  private void runEach(List<Trial> trials, boolean keepModels, Consumer<TrialTask.Output> onDone)
      throws InterruptedException {
    CompletionService<TrialTask.Output> done = new ExecutorCompletionService<>(pool);
    trials.forEach(t -> done.submit(() -> runOne(t, keepModels)));
    for (int i = 0; i < trials.size(); i++) {
      try {
        onDone.accept(done.take().get());
      } catch (ExecutionException e) {
        throw new IllegalStateException("a trial submitter failed", e.getCause());
      }
    }
  }

  private static TrialTask.Output failed(Trial trial, Exception e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    TrialResult.Failure failure = TrialResult.Failure.of(cause);
    var result = new TrialResult(trial, null, new TrialResult.Failure("Spark job failed: " + failure.message(),
        failure.trace()), new TrialResult.Timings(0, 0, 0, 0));
    String now = Instant.now().toString();
    return new TrialTask.Output(result, new Execution(-1, "none", "none", now, now));
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
