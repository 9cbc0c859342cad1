package org.depprune.driver.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkConf;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationStart;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * A driver-side Spark listener for {@link ClusterIT}'s fault test: when the N-th trial task starts
 * ({@value #KILL_AT}), it SIGKILLs the executor JVM that task was given, so the kill always lands
 * on a running trial (killing at a moment chosen from outside can hit an executor that sits
 * idle between two trials, and then nothing is retried). It writes the trial id, the executor id
 * and the process id it killed to the file {@value #REPORT}, one {@code key=value} per line.
 *
 * <p>Loaded into the submitted driver with {@code --driver-class-path} (the test classes) and
 * {@code spark.extraListeners}. It finds the executor's process by the
 * {@code --executor-id} and {@code --app-id} arguments of its command line, so the executor must
 * run on this machine as this user, as in the test's standalone cluster on 127.0.0.1.
 */
public final class ExecutorKillingListener extends SparkListener {
  static final String KILL_AT = "spark.depprune.test.kill-at-trial-task";
  static final String REPORT = "spark.depprune.test.kill-report";

  private final int killAt;
  private final Path report;
  private final Map<Integer, String> trialByStage = new ConcurrentHashMap<>();
  private volatile String appId;
  private int trialTasksStarted;

  public ExecutorKillingListener(SparkConf conf) {
    this.killAt = conf.getInt(KILL_AT, 3);
    this.report = Path.of(conf.get(REPORT));
  }

  @Override
  public void onApplicationStart(SparkListenerApplicationStart start) {
    appId = start.appId().get();
  }

  @Override
  public void onJobStart(SparkListenerJobStart job) {
    // TrialExecutor describes a one-trial job as "trial <id> (<criterion>, budget <n>)".
    String description = job.properties() == null ? null : job.properties().getProperty("spark.job.description");
    if (description != null && description.startsWith("trial ")) {
      String trial = description.substring("trial ".length(), description.indexOf(' ', "trial ".length()));
      for (Object stage : scala.collection.JavaConverters.seqAsJavaList(job.stageIds())) {
        trialByStage.put((Integer) stage, trial);
      }
    }
  }

  @Override
  public void onTaskStart(SparkListenerTaskStart task) {
    String trial = trialByStage.get(task.stageId());
    if (trial == null || ++trialTasksStarted != killAt) {
      return;
    }
    String executor = task.taskInfo().executorId();
    ProcessHandle jvm = ProcessHandle.allProcesses()
        .filter(p -> isExecutor(p.info().commandLine().orElse(""), executor))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no process for executor " + executor + " of " + appId));
    jvm.destroyForcibly();
    try {
      Files.writeString(report, "trial=" + trial + "\nexecutor=" + executor + "\npid=" + jvm.pid() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean isExecutor(String commandLine, String executor) {
    return commandLine.contains("CoarseGrainedExecutorBackend") && commandLine.contains("--executor-id " + executor + " ")
        && commandLine.contains("--app-id " + appId);
  }
}
