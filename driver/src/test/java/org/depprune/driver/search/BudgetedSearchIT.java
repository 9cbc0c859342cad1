package org.depprune.driver.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.depprune.driver.config.SearchConfig;
import org.depprune.driver.results.BudgetWinner;
import org.depprune.driver.results.ResultRow;
import org.depprune.driver.results.ResultStore;
import org.depprune.driver.results.SearchSummary;
import org.depprune.driver.testing.SearchFixture;
import org.depprune.driver.testing.SharedSparkSession;
import org.depprune.trial.Plan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search with a budget and a latency objective on {@code local[2]}: the cheap rung (budget 0,
 * batch norms recalibrated), plans scaled to the budget, distillation chosen by the search and a
 * sparse warm-up on every plan.
 */
class BudgetedSearchIT extends SharedSparkSession {
  @TempDir static Path dir;
  static SearchSummary summary;
  static List<ResultRow> rows;
  static String console;

  @BeforeAll
  static void search() throws Exception {
    SearchFixture.write(dir);
    Path out = dir.resolve("out");
    SearchConfig config = SearchConfig.parse(SearchFixture.config(dir, Map.of(
        "objectives", "[accuracy, latency]",
        "budgets.macs", "[0.5]",
        "halving", "{ budgets = [0, 32], promote = 0.5 }",
        "recalibration.batches", "2",
        "recovery", "{ distill = search, sparse-warmup = on, sparse-warmup-images = 32 }")),
        Map.of("output", out.toString()));
    StringWriter text = new StringWriter();
    summary = new SearchJob(config, new PrintWriter(text, true)).run(spark);
    console = text.toString();
    rows = ResultStore.open(out.toString(), spark.sparkContext().hadoopConfiguration()).rows();
  }

  @Test
  void everyLatencyIsMeasuredAloneAndTheFrontIsSortedByIt() {
    assertTrue(rows.stream().allMatch(ResultRow::ok), console);
    rows.forEach(r -> assertTrue(r.metrics().latencyAlone(), r.trialId() + " measured with another trial computing"));
    assertTrue(summary.base().latencyMillis() > 0);
    List<ResultRow> front = summary.front();
    assertFalse(front.isEmpty());
    assertEquals(front.stream().sorted(Comparator.comparingDouble(ResultRow::latencyMillis)).toList(), front,
        "by increasing latency");
    // Non-dominated in (accuracy, latency) among the last round.
    List<ResultRow> last = rows.stream().filter(r -> r.budget() == 32).toList();
    for (ResultRow f : front) {
      for (ResultRow r : last) {
        boolean dominates = r.accuracy() >= f.accuracy() && r.latencyMillis() <= f.latencyMillis()
            && (r.accuracy() > f.accuracy() || r.latencyMillis() < f.latencyMillis());
        assertFalse(dominates, r.trialId() + " dominates front row " + f.trialId());
      }
    }
    assertEquals(List.of("accuracy", "latency"), summary.objectives());
  }

  @Test
  void plansSitAtTheirBudgetAndItsWinnerIsTheMostAccurateFittingOne() {
    rows.forEach(r -> assertTrue(r.macsShare() <= 0.5, r.trialId() + " exceeds 50% MACs: " + r.macsShare()));
    List<ResultRow> firstRound = rows.stream().filter(r -> r.round() == 0 && !r.origin().equals("evolution")).toList();
    // The fixture's layers have 4 to 16 channels, so one channel moves MACs by several percent: the
    // plans nearest the budget sit within that step of it (BudgetScalerTest checks the committed model).
    assertTrue(firstRound.stream().mapToDouble(ResultRow::macsShare).max().orElseThrow() >= 0.4, "none near 50%");
    assertEquals(1, summary.winners().size());
    BudgetWinner winner = summary.winners().get(0);
    assertEquals("macs<=50%", winner.budget());
    double best = rows.stream().filter(r -> r.budget() == 32).mapToDouble(ResultRow::accuracy).max().orElseThrow();
    assertEquals(best, winner.row().accuracy());
    assertNotNull(winner.row().testAccuracy(), "the winner is scored on the test set");
    assertTrue(console.contains("macs<=50%"), console);
  }

  @Test
  void theSearchTriesEachPlanWithAndWithoutDistillationAndWarmsEveryPlanUp() {
    List<ResultRow> firstRound = rows.stream().filter(r -> r.round() == 0 && !r.origin().equals("evolution")).toList();
    Map<String, Set<Boolean>> distilled = firstRound.stream().collect(Collectors.groupingBy(
        r -> r.plan().criterion() + r.plan().ratios(),
        Collectors.mapping(r -> r.plan().options().containsKey(Plan.DISTILL), Collectors.toSet())));
    distilled.forEach((plan, ways) -> assertEquals(Set.of(true, false), ways, plan));
    rows.forEach(r -> assertEquals("group-lasso/32/1.0E-4", r.plan().options().get(Plan.SPARSE_WARMUP), r.trialId()));
    // The cheap rung ran: budget-0 rows for every first-round plan.
    assertTrue(firstRound.stream().allMatch(r -> r.budget() == 0));
  }

  @Test
  void theReportShowsTheBudget() throws Exception {
    String html = Files.readString(Path.of(summary.output().replace("file:", "")).resolve("report.html"));
    assertTrue(html.contains("<h2>Budgets</h2>"), html);
    assertTrue(html.contains("<td>macs&lt;=50%</td>") || html.contains("<td>macs<=50%</td>"), html);
  }
}
