package org.depprune.driver.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.depprune.data.Examples;
import org.depprune.driver.config.SearchConfig.Scheduling;
import org.depprune.driver.data.Block;
import org.depprune.driver.results.Execution;
import org.depprune.driver.testing.SharedSparkSession;
import org.depprune.trial.Plan;
import org.depprune.trial.Trial;
import org.depprune.trial.TrialResult;
import org.junit.jupiter.api.Test;

/**
 * Trials on a real {@code local[2]} Spark session, with a workload whose task for one trial
 * throws (its Spark task fails): in either scheduling, that trial alone becomes an error row.
 */
class TrialExecutorTest extends SharedSparkSession {
  static final List<Trial> TRIALS = List.of(trial(0.1), trial(0.2), trial(0.3), trial(0.4));
  static final String FAILING = TRIALS.get(2).id();

  static Trial trial(double ratio) {
    return new Trial(new Plan("magnitude", Map.of("stem", ratio)), "uniform", 0, 32, 1, 0);
  }

  /** Succeeds with the ratio as its accuracy, except for {@link #FAILING}, whose task throws. */
  static TrialTask.Output work(Trial trial, Examples train, TrialContext ignored, boolean save) {
    if (trial.id().equals(FAILING)) {
      throw new IllegalStateException("this task fails");
    }
    var metrics = new TrialResult.Metrics(trial.plan().ratios().get("stem"), 1, 0.5, 1, 1);
    return new TrialTask.Output(new TrialResult(trial, metrics, null, new TrialResult.Timings(0, 0, 0, 0)),
        new Execution(0, "driver", "host", "t0", "t1"));
  }

  @Test
  void inAStageOneFailingTaskFailsOnlyItsTrial() throws Exception {
    assertOnlyTheFailingTrialFails(Scheduling.STAGE);
  }

  @Test
  void inJobsOneFailingTaskFailsOnlyItsTrial() throws Exception {
    assertOnlyTheFailingTrialFails(Scheduling.ASYNC);
  }

  private static void assertOnlyTheFailingTrialFails(Scheduling scheduling) throws Exception {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<TrialContext> context = sc.broadcast(null);
    Map<String, TrialTask.Output> outputs = new TreeMap<>();
    Block empty = new Block(Examples.empty(new long[] {1}, 2), 0, List.of());
    try (TrialExecutor executor = new TrialExecutor(sc, context,
        t -> sc.parallelize(List.of(new scala.Tuple2<>(0, empty)), 1), null, null, 2, scheduling, "test",
        TrialExecutorTest::work)) {
      List<TrialTask.Output> done = new ArrayList<>();
      executor.runAll(TRIALS, false, done::add);
      done.forEach(o -> outputs.put(o.result().trial().id(), o));
    } finally {
      context.destroy();
    }
    assertEquals(TRIALS.stream().map(Trial::id).sorted().toList(), List.copyOf(outputs.keySet()), "every trial once");
    for (Trial t : TRIALS) {
      TrialResult result = outputs.get(t.id()).result();
      if (t.id().equals(FAILING)) {
        assertTrue(result.failure().message().contains("this task fails"), result.failure().message());
      } else {
        assertTrue(result.ok(), t.id() + ": " + result.failure());
        assertEquals(t.plan().ratios().get("stem"), result.metrics().accuracy());
      }
    }
  }
}
