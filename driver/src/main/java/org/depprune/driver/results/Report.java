package org.depprune.driver.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.depprune.driver.config.SearchConfig;
import org.depprune.driver.data.DataDescription;

/**
 * {@code report.html}: a self-contained page (inline SVG and CSS, no scripts, fonts or links to
 * fetch) with the Pareto plot of a search, its front as a table, and its provenance. It opens
 * in any browser, from any copy of the output directory.
 */
public final class Report {
  /** The front's colour in the plot; a rendering test looks for it. */
  public static final String FRONT_COLOUR = "#d62728";

  private static final int WIDTH = 720;
  private static final int HEIGHT = 440;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 20;
  private static final int BOTTOM = 50;

  private Report() {}

  /** The page of {@code summary}; {@code rows} are every trial's (the plot shows them all). */
  public static String html(SearchSummary summary, List<ResultRow> rows, SearchConfig config) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>DepPrune search ")
        .append(esc(config.hash())).append("</title>\n<style>")
        .append("body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:12px 0}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}")
        .append("td:first-child,td:nth-child(2),td:nth-child(3){text-align:left}.note{color:#666}")
        .append("</style></head><body>\n");
    h.append("<h1>DepPrune search</h1>\n<p>").append(summary.trials()).append(" trials, ")
        .append(summary.errors()).append(" failed; Pareto front of ").append(summary.front().size())
        .append(" plans at the last budget (").append(summary.lastBudget()).append(" finetune images) on ")
        .append(esc(String.join(", ", summary.objectives()))).append("; hypervolume ")
        .append(fmt("%.4f", summary.hypervolume())).append(" against (accuracy, cost share) = ")
        .append(esc(summary.hypervolumeReference().toString())).append(".</p>\n");
    if (!summary.objectives().equals(List.of("accuracy", "macs"))) {
      h.append("<p class=\"note\">The plot shows MACs; the front is non-dominated on ")
          .append(esc(String.join(", ", summary.objectives()))).append(", so a front plan may look dominated in it.</p>\n");
    }
    for (String line : Tables.headlines(summary)) {
      h.append("<p class=\"headline\"><b>").append(esc(line)).append("</b></p>\n");
    }
    h.append(plot(summary, rows, summary.lastBudget()));
    h.append("<p class=\"note\">Accuracies are given ± one binomial standard error, sqrt(p (1 - p) / n) for n"
        + " examples: differences smaller than about two of them are within what other examples could change."
        + " Finetune: ").append(esc(summary.recipe() == null ? "-" : summary.recipe())).append(".</p>\n");
    h.append("<h2>The front</h2>\n").append(Tables.front(summary).html());
    if (!summary.winners().isEmpty()) {
      h.append("<h2>Budgets</h2>\n<p>The most accurate plan of the last round within each budget.</p>\n")
          .append(Tables.winners(summary).html());
    }
    if (!summary.finals().isEmpty()) {
      h.append("<h2>Final models</h2>\n");
      for (String line : Tables.finalGains(summary)) {
        h.append("<p class=\"headline\"><b>").append(esc(line)).append("</b></p>\n");
      }
      h.append(Tables.finals(summary).html());
    }
    h.append("<h2>Provenance</h2>\n<table>\n");
    row(h, "config hash", config.hash());
    row(h, "seed", Long.toString(config.seed()));
    row(h, "base model", config.baseModel());
    DataDescription d = summary.data();
    if (d != null) {
      row(h, "data", d.format() + " " + d.train() + ": " + d.trainExamples() + " training examples in "
          + d.partitionSizes().size() + " partitions, " + d.validationExamples() + " validation (" + d.splitText()
          + "), " + (d.test().isEmpty() ? "no test set" : d.testExamples() + " test (" + d.test() + ")"));
      row(h, "classes", String.join(", ", d.labels()));
      long skipped = d.skipped().values().stream().mapToLong(Long::longValue).sum();
      row(h, "corrupt records skipped", skipped == 0 ? "none"
          : skipped + " " + d.skipped() + "; e.g. " + String.join("; ", d.skippedSamples()));
    }
    row(h, "criteria", String.join(", ", config.criteria()));
    row(h, "searched layers", String.join(", ", summary.layers()));
    row(h, "finetune budgets", config.halving().budgets().stream()
        .map(b -> b == SearchConfig.Halving.EPOCH ? "epoch" : b.toString()).toList().toString());
    if (!rows.isEmpty()) {
      var versions = rows.get(0).provenance().versions();
      row(h, "versions", "DepPrune " + versions.get("depprune") + ", DL4J " + versions.get("dl4j")
          + ", Spark " + versions.get("spark") + ", Java " + versions.get("java"));
    }
    row(h, "written", java.time.Instant.now().toString());
    h.append("</table>\n<p class=\"note\">Rounds: ");
    List<String> rounds = new ArrayList<>();
    for (RoundStats r : summary.rounds()) {
      rounds.add(esc(r.round()) + " " + r.trials() + " trials in " + fmt("%.0f", r.wallSeconds()) + " s (idle "
          + fmt("%.0f", 100 * r.idleShare()) + "%)");
    }
    h.append(String.join("; ", rounds)).append(". The full table: results.csv, results.jsonl, results.parquet.</p>\n");
    return h.append("</body></html>\n").toString();
  }

  /** Accuracy against MACs share: every plan at the last budget, earlier budgets faded, the front in red. */
  private static String plot(SearchSummary summary, List<ResultRow> rows, int lastBudget) {
    List<ResultRow> ok = rows.stream().filter(ResultRow::ok).filter(r -> !r.origin().equals("guard")).toList();
    double lo = summary.base().accuracy();
    double hi = summary.base().accuracy();
    if (summary.baseFinetuned() != null && summary.baseFinetuned().ok()) {
      lo = Math.min(lo, summary.baseFinetuned().accuracy());
    }
    for (ResultRow r : ok) {
      lo = Math.min(lo, r.accuracy());
      hi = Math.max(hi, r.accuracy());
    }
    lo = Math.max(0, Math.floor(lo * 20 - 0.5) / 20);
    hi = Math.min(1, Math.ceil(hi * 20 + 0.5) / 20);
    Axes axes = new Axes(lo, hi);
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
        .append("\" role=\"img\" aria-label=\"Pareto plot\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    for (int i = 0; i <= 10; i++) {
      double x = axes.x(i / 10.0);
      s.append(fmt("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>", x, TOP, x, HEIGHT - BOTTOM))
          .append(fmt("<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%d%%</text>\n", x,
              HEIGHT - BOTTOM + 16, i * 10));
    }
    int ticks = (int) Math.round((hi - lo) / 0.05);
    for (int i = 0; i <= ticks; i++) {
      double a = lo + i * 0.05;
      double y = axes.y(a);
      s.append(fmt("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>", LEFT, y, WIDTH - RIGHT, y))
          .append(fmt("<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%.2f</text>\n", LEFT - 6, y + 4, a));
    }
    s.append(fmt("<text x=\"%d\" y=\"%d\" font-size=\"13\" text-anchor=\"middle\">MACs (share of the base model)</text>\n",
        (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 12));
    s.append(fmt("<text x=\"16\" y=\"%d\" font-size=\"13\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">"
        + "validation accuracy</text>\n", (TOP + HEIGHT - BOTTOM) / 2, (TOP + HEIGHT - BOTTOM) / 2));
    for (ResultRow r : ok) {
      boolean last = r.budget() == lastBudget;
      s.append(fmt("<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\" fill-opacity=\"%s\">"
              + "<title>%s %s, budget %d: %.4f at %.1f%% MACs</title></circle>\n",
          last ? "plan" : "early", axes.x(r.macsShare()), axes.y(r.accuracy()), last ? "#1f77b4" : "#9ecae1",
          last ? "0.8" : "0.5", esc(r.planId()), esc(r.plan().criterion()), r.budget(), r.accuracy(), 100 * r.macsShare()));
    }
    StringBuilder line = new StringBuilder();
    for (ResultRow r : summary.front()) {
      double x = axes.x(r.macsShare());
      double y = axes.y(r.accuracy());
      line.append(line.length() == 0 ? "" : " ").append(fmt("%.1f,%.1f", x, y));
    }
    if (summary.front().size() > 1) {
      s.append("<polyline fill=\"none\" stroke=\"").append(FRONT_COLOUR).append("\" stroke-width=\"2\" points=\"")
          .append(line).append("\"/>\n");
    }
    for (ResultRow r : summary.front()) {
      s.append(fmt("<circle class=\"front\" cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"%s\"><title>%s</title></circle>\n",
          axes.x(r.macsShare()), axes.y(r.accuracy()), FRONT_COLOUR, esc(r.planId() + " " + r.plan().criterion())));
    }
    double bx = axes.x(1.0);
    double by = axes.y(summary.base().accuracy());
    s.append(fmt("<rect class=\"base\" x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"black\">"
        + "<title>base model</title></rect>\n", bx - 5, by - 5));
    s.append(fmt("<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\">base</text>\n", bx - 8, by - 8));
    ResultRow tuned = summary.baseFinetuned();
    if (tuned != null && tuned.ok()) {
      double ty = axes.y(tuned.accuracy());
      s.append(fmt("<rect class=\"base-finetuned\" x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"none\""
          + " stroke=\"black\"><title>base model after the plans' finetune (the recipe check): %.4f</title></rect>\n",
          bx - 5, ty - 5, tuned.accuracy()));
    }
    s.append(fmt("<g font-size=\"12\"><circle cx=\"%d\" cy=\"%d\" r=\"6\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">front</text>"
            + "<circle cx=\"%d\" cy=\"%d\" r=\"3.5\" fill=\"#1f77b4\"/><text x=\"%d\" y=\"%d\">last round</text>"
            + "<circle cx=\"%d\" cy=\"%d\" r=\"3.5\" fill=\"#9ecae1\"/><text x=\"%d\" y=\"%d\">earlier rounds</text></g>\n",
        LEFT + 14, TOP + 10, FRONT_COLOUR, LEFT + 24, TOP + 14, LEFT + 14, TOP + 28, LEFT + 24, TOP + 32,
        LEFT + 14, TOP + 46, LEFT + 24, TOP + 50));
    return s.append("</svg>\n").toString();
  }

  /** Data to pixel coordinates. */
  private record Axes(double lo, double hi) {
    double x(double macs) {
      return LEFT + macs * (WIDTH - LEFT - RIGHT);
    }

    double y(double accuracy) {
      return HEIGHT - BOTTOM - (accuracy - lo) / (hi - lo) * (HEIGHT - TOP - BOTTOM);
    }
  }

  private static void row(StringBuilder h, String key, String value) {
    h.append("<tr><th>").append(esc(key)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
  }

  private static String esc(String s) {
    return Table.escape(s);
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
