package org.depprune.driver.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.depprune.driver.config.SearchConfig;
import org.depprune.driver.testing.RowsForTests;
import org.junit.jupiter.api.Test;

class ReportTest {
  @Test
  void thePagePlotsEveryPlanAndTheFrontAndFetchesNothing() {
    List<ResultRow> rows = List.of(RowsForTests.row(0.80, 0.2), RowsForTests.row(0.85, 0.5), RowsForTests.row(0.83, 0.6));
    List<ResultRow> front = List.of(rows.get(0).withFront(true, 0.79), rows.get(1).withFront(true, 0.84));
    SearchConfig config = SearchConfig.parse("search { halving.budgets = [32] }", Map.of());
    var summary = new SearchSummary("out", new BaseMetrics(0.9, 1000, 50, 2.5), List.of("layer"), front, 32, 0.5,
        List.of(0.0, 1.0), new SearchSummary.FirstRound(0, 0, 0), List.of(RoundStats.of("round 0", 3, 10, 18, 2)), 3, 0, null,
        List.of("accuracy", "macs"), List.of(), List.of(), null, "recipe");

    String html = Report.html(summary, rows, config);

    assertEquals(3, count(html, "<circle class=\"plan\""));
    assertEquals(2, count(html, "<circle class=\"front\""));
    assertEquals(1, count(html, "<rect class=\"base\""));
    assertTrue(html.contains("<td>" + rows.get(0).planId() + "</td><td>magnitude</td><td>uniform</td><td>20.0%</td>"), html);
    assertTrue(html.contains("idle 10%"), "round 0 used 18 of 2 x 10 slot seconds: " + html);
    assertTrue(html.contains("<td>0.7900</td>"), "test accuracy of the front");
    assertTrue(html.contains("<th>config hash</th><td>" + config.hash() + "</td>"));
    // x: 20% MACs is 70 + 0.2 * 630 px.
    assertTrue(html.contains("<circle class=\"front\" cx=\"196.0\""), html);
    // Self-contained: no script, no stylesheet or image to fetch, only the SVG namespace URI.
    assertFalse(html.contains("<script"));
    assertFalse(html.contains("src="));
    assertFalse(html.contains("<link"));
    assertEquals(1, count(html, "http"));
    assertFalse(html.contains("Final models"), "no final finetune, no section");
  }

  @Test
  void finalModelsGetTheirOwnTable() {
    var result = new FinalModel("abc123", "hessian", FinalModel.SEARCH, "evolution", 0.4, 0.381, 900, 40, 0.88, 0.87,
        List.of(0.5, 0.3, 0.25), 0.915, 6000, 0.9123, 10000, 0.9194, 54000, 1, 60.0, "out/final/abc123.zip");
    var uniform = new FinalModel("def456", "hessian", FinalModel.UNIFORM, "uniform", 0.4, 0.38, 880, 38, 0.87, 0.86,
        List.of(0.5, 0.3, 0.26), 0.911, 6000, 0.9100, 10000, 0.9194, 54000, 1, 60.0, "out/final/def456.zip");
    var summary = new SearchSummary("out", new BaseMetrics(0.9, 1000, 50, 2.5), List.of("layer"), List.of(), 32,
        0, List.of(0.0, 1.0), new SearchSummary.FirstRound(0, 0, 0), List.of(), 0, 0, null, List.of("accuracy", "macs"), List.of(),
        List.of(result, uniform), null, "recipe");
    String html = Report.html(summary, List.of(), SearchConfig.parse("search { halving.budgets = [32] }", Map.of()));
    // errors: sqrt(0.915 * 0.085 / 6000) = 0.0036, sqrt(0.9123 * 0.0877 / 10000) = 0.0028
    assertTrue(html.contains("<td>abc123</td><td>search</td><td>hessian</td><td>40.0%</td><td>38.1%</td><td>40</td>"
        + "<td>2 x 54000</td><td>0.9150 ± 0.0036</td><td>0.9123 ± 0.0028</td><td>0.9194</td><td>0.8800 / 0.8700</td>"
        + "<td>final/abc123.zip</td>"), html);
    assertTrue(html.contains("at &lt;=40.0% MACs after the final finetune: the search's plan 0.9123 ± 0.0028 test"
        + " accuracy, the best uniform plan 0.9100 ± 0.0029: +0.23 pt"), html);
  }

  private static int count(String s, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
