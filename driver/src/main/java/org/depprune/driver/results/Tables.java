package org.depprune.driver.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The tables a search shows, on the console and in {@code report.html}: the front and the final models. */
public final class Tables {
  private Tables() {}

  /** The base model, then the front's plans by increasing MACs. */
  public static Table front(SearchSummary s) {
    List<List<String>> rows = new ArrayList<>();
    BaseMetrics base = s.base();
    rows.add(List.of("base", "-", "-", "100.0%", Long.toString(base.params()), fmt("%.2f", base.latencyMillis()),
        fmt("%.4f", base.accuracy()), "-", "0"));
    for (ResultRow r : s.front()) {
      rows.add(List.of(r.planId(), r.plan().criterion(), r.origin(), fmt("%.1f%%", 100 * r.macsShare()),
          Long.toString(r.params()), fmt("%.2f", r.latencyMillis()), fmt("%.4f", r.accuracy()),
          r.testAccuracy() == null ? "-" : fmt("%.4f", r.testAccuracy()), fmt("%.3f", r.meanRatio())));
    }
    return new Table(List.of("plan", "criterion", "origin", "MACs", "params", "latency ms", "val acc", "test acc",
        "mean ratio"), rows, 3);
  }

  /** Each budget's winner: the most accurate plan of the last round within it, beside the base model. */
  public static Table winners(SearchSummary s) {
    List<List<String>> rows = new ArrayList<>();
    BaseMetrics base = s.base();
    for (BudgetWinner w : s.winners()) {
      ResultRow r = w.row();
      if (r == null) {
        rows.add(List.of(w.budget(), "none fits", "-", "-", "-", "-", "-", "-", "-", "-"));
        continue;
      }
      rows.add(List.of(w.budget(), r.planId(), r.plan().criterion(), r.origin(), fmt("%.1f%%", 100 * r.macsShare()),
          Long.toString(r.params()), fmt("%.2f", r.latencyMillis()), fmt("%.4f", r.accuracy()),
          r.testAccuracy() == null ? "-" : fmt("%.4f", r.testAccuracy()),
          fmt("%.2f pt", 100 * (base.accuracy() - r.accuracy()))));
    }
    return new Table(List.of("budget", "plan", "criterion", "origin", "MACs", "params", "latency ms", "val acc",
        "test acc", "val drop"), rows, 4);
  }

  /** The final models: each budget's plan after its data-parallel finetune, beside the base model. */
  public static Table finals(SearchSummary s) {
    List<List<String>> rows = new ArrayList<>();
    for (FinalModel f : s.finals()) {
      rows.add(List.of(f.planId(), f.criterion(), fmt("%.1f%%", 100 * f.macsBudget()), fmt("%.1f%%", 100 * f.macsShare()),
          Long.toString(f.params()), f.epochs() + " x " + f.trainImages(), fmt("%.4f", f.valAccuracy()),
          f.testAccuracy() == null ? "-" : fmt("%.4f", f.testAccuracy()),
          f.baseTestAccuracy() == null ? "-" : fmt("%.4f", f.baseTestAccuracy()),
          fmt("%.4f", f.searchValAccuracy()) + " / "
              + (f.searchTestAccuracy() == null ? "-" : fmt("%.4f", f.searchTestAccuracy())),
          "final/" + f.planId() + ".zip"));
    }
    return new Table(List.of("plan", "criterion", "MACs budget", "MACs", "params", "epochs x images", "val acc",
        "test acc", "base test acc", "search val / test", "model"), rows, 2);
  }

  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
