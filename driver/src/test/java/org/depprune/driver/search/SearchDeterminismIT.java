package org.depprune.driver.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.depprune.driver.config.SearchConfig;
import org.depprune.driver.results.ResultStore;
import org.depprune.driver.testing.SearchFixture;
import org.depprune.driver.testing.SharedSparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same seed gives the same rows whatever the parallelism: {@code local[1]}, {@code local[2]}
 * with a Spark job per trial, and {@code local[2]} with a stage per round. Only where and when a
 * trial ran (and its measured latency and timings) may differ.
 */
class SearchDeterminismIT {
  /** Columns that describe the run, not the result. */
  static final List<String> RUN_COLUMNS = List.of("latency_ms", "prune_s", "finetune_s", "evaluate_s", "task_s",
      "attempt", "executor", "host", "started_at", "finished_at");

  @TempDir Path dir;

  @Test
  void theSameSeedGivesTheSameRowsOnOneAndTwoCores() throws Exception {
    SearchFixture.write(dir);
    Map<String, Map<String, Object>> one = search("local[1]", "async", dir.resolve("one"));
    Map<String, Map<String, Object>> two = search("local[2]", "async", dir.resolve("two"));
    Map<String, Map<String, Object>> stage = search("local[2]", "stage", dir.resolve("stage"));
    assertFalse(one.isEmpty());
    assertEquals(one, two);
    assertEquals(one, stage);
    // Run again on a finished search's output: the evolution asks for the same plans, all done.
    assertEquals(one, search("local[2]", "async", dir.resolve("one")), "a resumed finished search adds no trial");
  }

  private Map<String, Map<String, Object>> search(String master, String scheduling, Path out) throws Exception {
    SparkSession spark = SharedSparkSession.session(master);
    try {
      SearchConfig config = SearchConfig.parse(SearchFixture.config(dir, Map.of("scheduling", scheduling)),
          Map.of("output", out.toString()));
      new SearchJob(config, new PrintWriter(new StringWriter())).run(spark);
      Map<String, Map<String, Object>> rows = new TreeMap<>();
      ResultStore.open(out.toString(), spark.sparkContext().hadoopConfiguration()).byId().forEach((id, row) -> {
        Map<String, Object> values = new TreeMap<>(row.columns());
        RUN_COLUMNS.forEach(values::remove);
        rows.put(id, values);
      });
      return rows;
    } finally {
      spark.stop();
    }
  }
}
