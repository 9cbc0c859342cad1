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
    var fin = new FinalModel(b.planId(), "magnitude", 0.6, 0.5, 500, 10, 0.86, null, List.of(0.9, 0.4), 0.9,
        0.89, 0.91, 300, 2, 5.0, "out/final/x.zip");
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
    assertEquals(List.of("0.8600 / -"), List.of(Tables.finals(s).rows().get(0).get(9)));
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
