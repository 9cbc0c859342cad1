package org.depprune.driver.testing;

import java.util.Map;
import org.depprune.driver.results.Execution;
import org.depprune.driver.results.ResultRow;
import org.depprune.driver.results.SearchProvenance;
import org.depprune.trial.Plan;
import org.depprune.trial.Trial;
import org.depprune.trial.TrialResult;

/** Result rows with chosen metrics, for tests of the logic on top of rows. */
public final class RowsForTests {
  private static int counter;

  private RowsForTests() {}

  public static ResultRow row(double accuracy, double macsShare) {
    return row(accuracy, macsShare, 10, 1.0);
  }

  /** A row of {@code origin} whose accuracy counts {@code examples} validation examples. */
  public static ResultRow row(double accuracy, double macsShare, String origin, long examples) {
    Plan plan = new Plan("magnitude", Map.of("layer", (counter++ % 900) / 1000.0));
    Trial trial = new Trial(plan, origin, 0, 32, 1, 0);
    var metrics = new TrialResult.Metrics(accuracy, (long) (macsShare * 1000), macsShare, 10, 1.0, false, examples);
    var result = new TrialResult(trial, metrics, null, new TrialResult.Timings(0, 0, 0, 0));
    return ResultRow.of(result, new Execution(0, "driver", "host", "t0", "t1"),
        new SearchProvenance("hash", 42, Map.of("depprune", "test")));
  }

  /** A row with chosen accuracy, MACs share, parameters and latency (ms). */
  public static ResultRow row(double accuracy, double macsShare, long params, double latencyMillis) {
    Plan plan = new Plan("magnitude", Map.of("layer", (counter++ % 900) / 1000.0));
    Trial trial = new Trial(plan, "uniform", 0, 32, 1, 0);
    var metrics = new TrialResult.Metrics(accuracy, (long) (macsShare * 1000), macsShare, params, latencyMillis);
    var result = new TrialResult(trial, metrics, null, new TrialResult.Timings(0, 0, 0, 0));
    return ResultRow.of(result, new Execution(0, "driver", "host", "t0", "t1"),
        new SearchProvenance("hash", 42, Map.of("depprune", "test")));
  }
}
