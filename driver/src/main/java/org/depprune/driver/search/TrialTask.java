package org.depprune.driver.search;

import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.time.Instant;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.depprune.model.ModelFiles;
import org.depprune.plan.Trial;
import org.depprune.plan.TrialProvenance;
import org.depprune.plan.TrialResult;
import org.depprune.plan.TrialRunner;

/**
 * The code a Spark task runs for one trial, on an executor: run the trial, save its model to
 * the trials directory, and say where and on which attempt it ran.
 */
final class TrialTask {
  private TrialTask() {}

  /** A trial's result and its task's execution details: what travels back to the driver. */
  record Output(TrialResult result, ResultRow.Execution execution) implements Serializable {}

  static Output run(Trial trial, TrialContext ctx) {
    String started = Instant.now().toString();
    var outcome = new TrialRunner(ctx.baseModel(), ctx.settings())
        .run(trial, ctx.train(), ctx.partitions()[trial.partition()], ctx.validation());
    TrialResult result = outcome.result();
    if (outcome.network() != null) {
      try {
        save(trial, outcome.network(), ctx);
      } catch (IOException | RuntimeException e) {
        result = new TrialResult(trial, null, "could not save the trial's model: " + e, result.timings());
      }
    }
    TaskContext task = TaskContext.get();
    int attempt = task == null ? 0 : task.attemptNumber();
    String executor = SparkEnv.get() == null ? "none" : SparkEnv.get().executorId();
    return new Output(result, new ResultRow.Execution(attempt, executor, host(), started, Instant.now().toString()));
  }

  /** The path of a trial's model in the trials directory. */
  static Path modelPath(String trialsDir, String trialId) {
    return new Path(trialsDir, trialId + ".zip");
  }

  private static void save(Trial trial, org.deeplearning4j.nn.graph.ComputationGraph net, TrialContext ctx)
      throws IOException {
    var provenance = new TrialProvenance(ModelFiles.PROVENANCE_FORMAT, ctx.baseName(), trial.plan().id(),
        trial.plan().criterion(), trial.plan().ratios(), trial.budget(), trial.seed(), trial.partition(),
        ctx.provenance().configHash(), ctx.provenance().versions(), Instant.now().toString());
    Path target = modelPath(ctx.trialsDir(), trial.id());
    FileSystem fs = target.getFileSystem(ctx.hadoop().value());
    fs.setWriteChecksum(false);
    HadoopFiles.replace(fs, target, out -> ModelFiles.write(net, out, provenance));
  }

  /** The test accuracy of the model a trial saved; runs in an executor. */
  static double testAccuracy(String trialId, String trialsDir, org.apache.spark.util.SerializableConfiguration hadoop,
      org.depprune.data.LabeledImages test, int threads) throws IOException {
    org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(threads);
    Path path = modelPath(trialsDir, trialId);
    byte[] bytes;
    try (var in = path.getFileSystem(hadoop.value()).open(path)) {
      bytes = in.readAllBytes();
    }
    var net = ModelFiles.loadGraph(bytes, path.toString());
    return org.depprune.train.Evaluator.accuracy(net, org.depprune.data.ImageBatchIterator.ordered(test, 500));
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
