package org.depprune.driver.search;

import java.util.Map;
import org.depprune.plan.Plan;
import org.depprune.plan.Trial;
import org.depprune.plan.TrialResult;

/** Result rows with chosen metrics, for tests of the logic on top of rows. */
final class RowsForTests {
  private static int counter;

  private RowsForTests() {}

  static ResultRow row(double accuracy, double macsShare) {
    Plan plan = new Plan("magnitude", Map.of("layer", (counter++ % 900) / 1000.0));
    Trial trial = new Trial(plan, "uniform", 0, 32, 1, 0);
    var metrics = new TrialResult.Metrics(accuracy, (long) (macsShare * 1000), macsShare, 10, 1.0);
    var result = new TrialResult(trial, metrics, null, new TrialResult.Timings(0, 0, 0, 0));
    return ResultRow.of(result, new ResultRow.Execution(0, "driver", "host", "t0", "t1"),
        new ResultRow.Provenance("hash", 42, Map.of("depprune", "test")));
  }
}
