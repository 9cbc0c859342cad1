package org.depprune.driver.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.depprune.driver.testing.RowsForTests;
import org.junit.jupiter.api.Test;

/** One set of cells for the console and the report. */
class TablesTest {
  static SearchSummary summary() {
    ResultRow a = RowsForTests.row(0.81, 0.25).withFront(true, 0.8);
    ResultRow b = RowsForTests.row(0.86, 0.5).withFront(true, null);
    var fin = new FinalModel(b.planId(), "magnitude", FinalModel.SEARCH, "uniform", 0.6, 0.5, 500, 10, 0.86, null,
        List.of(0.9, 0.4), 0.9, 100, 0.89, 100, 0.91, 300, 2, 5.0, "out/final/x.zip");
    return new SearchSummary("out", new BaseMetrics(0.9, 1000, 50, 2.5), List.of("layer"), List.of(a, b), 32, 0.5,
        List.of(0.0, 1.0), new SearchSummary.FirstRound(0, 0, 0), List.of(), 2, 0, null, List.of("accuracy", "macs"),
        List.of(), List.of(fin), null, "recipe");
  }

  @Test
  void theConsoleAndTheReportShowTheSameCells() {
    SearchSummary s = summary();
    for (Table table : List.of(Tables.front(s), Tables.finals(s))) {
      String text = table.text();
      String html = table.html();
      assertEquals(table.rows().size() + 1, text.split("\n").length, text);
      for (List<String> row : table.rows()) {
        for (String cell : row) {
          assertTrue(text.contains(cell), cell + " in\n" + text);
          assertTrue(html.contains("<td>" + Table.escape(cell) + "</td>"), cell + " in " + html);
        }
      }
    }
    Table front = Tables.front(s);
    assertEquals(List.of("base", "-", "-", "100.0%", "50", "2.50", "0.9000", "-", "0"), front.rows().get(0));
    assertEquals("0.8000", front.rows().get(1).get(7), "a test accuracy");
    assertEquals("-", front.rows().get(2).get(7), "none measured");
    assertEquals(List.of("0.8600 / -"), List.of(Tables.finals(s).rows().get(0).get(10)));
  }

  @Test
  void everyReportedAccuracyCarriesItsBinomialErrorAndTheBaseItsTestAccuracy() {
    // Hand-made rows: 0.9 of 2,500 validation examples (error sqrt(0.9 * 0.1 / 2500) = 0.0060), and
    // 0.8 of 400 test examples (sqrt(0.8 * 0.2 / 400) = 0.0200).
    var trial = new org.depprune.trial.Trial(new org.depprune.trial.Plan("magnitude", java.util.Map.of("l", 0.5)),
        "random", 1, 64, 3, 0);
    var metrics = new org.depprune.trial.TrialResult.Metrics(0.9, 500, 0.5, 40, 1.5, true, 2500);
    ResultRow row = ResultRow.of(new org.depprune.trial.TrialResult(trial, metrics, null,
        new org.depprune.trial.TrialResult.Timings(0, 0, 0, 0)), new Execution(0, "driver", "h", "t0", "t1"),
        new SearchProvenance("hash", 1, java.util.Map.of())).withFront(true, 0.8, 400);
    assertEquals(Math.sqrt(0.9 * 0.1 / 2500), row.accuracyError(), 1e-15);
    assertEquals(Math.sqrt(0.8 * 0.2 / 400), row.testAccuracyError(), 1e-15);
    var base = new BaseMetrics(0.95, 6000, 1000, 80, 3.0, 0.94, 10000);
    assertEquals(Math.sqrt(0.95 * 0.05 / 6000), base.accuracyError(), 1e-15);
    assertEquals(Math.sqrt(0.94 * 0.06 / 10000), base.testAccuracyError(), 1e-15);
    var winners = List.of(new BudgetWinner("macs<=50%", row));
    SearchSummary s = new SearchSummary("out", base, List.of("l"), List.of(row), 64, 0.5, List.of(0.0, 1.0),
        new SearchSummary.FirstRound(0, 0, 0), List.of(), 1, 0, null, List.of("accuracy", "macs"), winners, List.of(),
        null, "recipe");

    Table front = Tables.front(s);
    assertEquals(List.of("base", "-", "-", "100.0%", "80", "3.00", "0.9500 ± 0.0028", "0.9400 ± 0.0024", "0"),
        front.rows().get(0));
    assertEquals("0.9000 ± 0.0060", front.rows().get(1).get(6));
    assertEquals("0.8000 ± 0.0200", front.rows().get(1).get(7));
    assertEquals(List.of("macs<=50%: " + row.planId() + " (magnitude, random) keeps 50.0% of the MACs (2.00x fewer) at"
        + " 0.9000 ± 0.0060 validation accuracy, 5.00 pt below the base model's 0.9500 ± 0.0028; test 0.8000 ± 0.0200"
        + " against the base's 0.9400 ± 0.0024"), Tables.headlines(s));
    // The columns of the table a notebook reads, and summary.json's base.
    var columns = row.columns();
    assertEquals(2500L, columns.get("val_examples"));
    assertEquals(Math.sqrt(0.9 * 0.1 / 2500), (Double) columns.get("val_error"), 1e-15);
    assertEquals(Math.sqrt(0.8 * 0.2 / 400), (Double) columns.get("test_error"), 1e-15);
    var json = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(s);
    assertEquals(0.94, json.path("base").path("testAccuracy").asDouble());
    assertEquals(Math.sqrt(0.94 * 0.06 / 10000), json.path("base").path("testAccuracyError").asDouble(), 1e-15);
    assertEquals(Math.sqrt(0.95 * 0.05 / 6000), json.path("base").path("accuracyError").asDouble(), 1e-15);
    assertEquals(2500, json.path("front").get(0).path("val_examples").asLong());
    // The report shows the same cells.
    String html = Report.html(s, List.of(row), org.depprune.driver.config.SearchConfig.parse(
        "search { halving.budgets = [64] }", java.util.Map.of()));
    assertTrue(html.contains("<td>0.9000 ± 0.0060</td>") && html.contains("<td>0.9400 ± 0.0024</td>"), html);
    assertTrue(html.contains("5.00 pt below the base model's 0.9500 ± 0.0028"), html);
  }

  @Test
  void textColumnsAlignNamesLeftAndNumbersRight() {
    Table t = new Table(List.of("plan", "acc"), List.of(List.of("a", "0.5"), List.of("longer", "10.25")), 1);
    assertEquals("plan      acc\na         0.5\nlonger  10.25\n", t.text());
    assertEquals("<table><tr><th>plan</th><th>acc</th></tr>\n<tr><td>a</td><td>0.5</td></tr>\n"
        + "<tr><td>longer</td><td>10.25</td></tr>\n</table>\n", t.html());
    assertThrows(IllegalArgumentException.class, () -> new Table(List.of("a", "b"), List.of(List.of("x")), 1));
  }

  @Test
  void eachBudgetsWinnerIsARowOfItsTableAndABudgetWithNoneSaysSo() {
    ResultRow half = RowsForTests.row(0.86, 0.5).withFront(true, 0.85);
    var winners = List.of(new BudgetWinner("macs<=50%", half), new BudgetWinner("macs<=10%", null));
    SearchSummary s = new SearchSummary("out", new BaseMetrics(0.9, 1000, 50, 2.5), List.of("layer"), List.of(half), 32,
        0.5, List.of(0.0, 1.0), new SearchSummary.FirstRound(0, 0, 0), List.of(), 1, 0, null,
        List.of("accuracy", "macs"), winners, List.of(), null, "recipe");
    Table table = Tables.winners(s);
    assertEquals(List.of("macs<=50%", half.planId(), "magnitude", "uniform", "50.0%", "10", "1.00", "0.8600", "0.8500",
        "4.00 pt"), table.rows().get(0));
    assertEquals("none fits", table.rows().get(1).get(1));
    assertTrue(table.text().contains("macs<=10%"));
  }
}
