package org.depprune.driver.execution;

import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.deeplearning4j.nn.api.Model;
import org.depprune.data.Examples;
import org.depprune.driver.results.Execution;
import org.depprune.driver.results.HadoopFiles;
import org.depprune.model.ModelFiles;
import org.depprune.trial.Trial;
import org.depprune.trial.TrialProvenance;
import org.depprune.trial.TrialResult;
import org.depprune.trial.TrialRunner;

/**
 * The code a Spark task runs for one trial, on an executor, on the cached training partitions its
 * plan picks: run the trial, save its model when asked (the last round's trials; a plan is
 * replayable, so a screening trial's model can be made again) or, when it failed, its whole stack
 * trace to the trials directory, and say where and on which attempt it ran.
 */
public final class TrialTask {
  private TrialTask() {}

  /** A trial's result and its task's execution details: what travels back to the driver. */
  public record Output(TrialResult result, Execution execution) implements Serializable {}

  /**
   * Runs {@code trial}; never throws: whatever goes wrong becomes the trial's failure, so a task
   * fails only when its executor does.
   */
  public static Output run(Trial trial, Examples train, TrialContext ctx, boolean save) {
    String started = Instant.now().toString();
    TrialResult result;
    try {
      result = runAndSave(trial, train, ctx, save);
    } catch (Throwable e) { // an Error too: one trial's, not the task's
      result = new TrialResult(trial, null, TrialResult.Failure.of(e), new TrialResult.Timings(0, 0, 0, 0));
    }
    if (!result.ok()) {
      writeTrace(trial, result.failure(), ctx);
    }
    TaskContext task = TaskContext.get();
    // Earlier attempts at this trial: task retries, and reruns of its stage. A lost executor takes
    // its cached partitions and shuffle files along, so the trial's rerun is a new stage attempt
    // (its lineage is recomputed) whose task attempt numbers start again at 0.
    int attempt = task == null ? 0 : task.attemptNumber() + task.stageAttemptNumber();
    String executor = SparkEnv.get() == null ? "none" : SparkEnv.get().executorId();
    return new Output(result, new Execution(attempt, executor, host(), started, Instant.now().toString()));
  }

  private static TrialResult runAndSave(Trial trial, Examples partition, TrialContext ctx, boolean save) {
    int[] all = java.util.stream.IntStream.range(0, partition.size()).toArray();
    var outcome = new TrialRunner(ctx.baseModel(), ctx.settings()).run(trial, partition, all, ctx.validation());
    TrialResult result = outcome.result();
    if (outcome.network() != null && save) {
      try {
        save(trial, outcome.network(), ctx);
      } catch (IOException | RuntimeException e) {
        TrialResult.Failure failure = TrialResult.Failure.of(e);
        result = new TrialResult(trial, null, new TrialResult.Failure(
            "could not save the trial's model: " + failure.message(), failure.trace()), result.timings());
      }
    }
    return result;
  }

  /** The path of a trial's model in the trials directory. */
  public static Path modelPath(String trialsDir, String trialId) {
    return new Path(trialsDir, trialId + ".zip");
  }

  /** Deletes a trial's model from the trials directory, if there is one; a failure is only logged. */
  public static void deleteModel(Trial trial, TrialContext ctx) {
    Path target = modelPath(ctx.trialsDir(), trial.id());
    try {
      target.getFileSystem(ctx.hadoop().value()).delete(target, false);
    } catch (IOException | RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(TrialTask.class).warn("could not delete {}: {}", target, e.toString());
    }
  }

  /** The path of a failed trial's whole stack trace in the trials directory. */
  public static Path tracePath(String trialsDir, String trialId) {
    return new Path(trialsDir, trialId + ".error.txt");
  }

  private static void save(Trial trial, Model net, TrialContext ctx) throws IOException {
    var provenance = new TrialProvenance(ModelFiles.PROVENANCE_FORMAT, ctx.baseName(), trial.plan().id(),
        trial.plan().criterion(), trial.plan().ratios(), trial.budget(), trial.seed(), trial.partition(), ctx.labels(),
        ctx.provenance().configHash(), ctx.provenance().versions(), Instant.now().toString());
    Path target = modelPath(ctx.trialsDir(), trial.id());
    FileSystem fs = target.getFileSystem(ctx.hadoop().value());
    fs.setWriteChecksum(false);
    HadoopFiles.replace(fs, target, out -> ModelFiles.write(net, out, provenance));
  }

  /** Writes the failure beside where the trial's model would be; a failure to write it is only logged. */
  private static void writeTrace(Trial trial, TrialResult.Failure failure, TrialContext ctx) {
    Path target = tracePath(ctx.trialsDir(), trial.id());
    try {
      FileSystem fs = target.getFileSystem(ctx.hadoop().value());
      fs.setWriteChecksum(false);
      HadoopFiles.replace(fs, target, out -> out.write((failure.message() + "\n\n" + failure.trace())
          .getBytes(StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(TrialTask.class).warn("could not write {}: {}", target, e.toString());
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
