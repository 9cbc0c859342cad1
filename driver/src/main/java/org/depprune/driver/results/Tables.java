package org.depprune.driver.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The tables a search shows, on the console and in {@code report.html}: the front and the final models. */
public final class Tables {
  private Tables() {}

  /**
   * The base model (and, when the recipe check ran, the base after the plans' finetune), then the
   * front's plans by increasing MACs; accuracies with their binomial standard errors.
   */
  public static Table front(SearchSummary s) {
    List<List<String>> rows = new ArrayList<>();
    BaseMetrics base = s.base();
    rows.add(List.of("base", "-", "-", "100.0%", Long.toString(base.params()), fmt("%.2f", base.latencyMillis()),
        Binomial.format(base.accuracy(), base.accuracyError()),
        base.testAccuracy() == null ? "-" : Binomial.format(base.testAccuracy(), base.testAccuracyError()), "0"));
    ResultRow tuned = s.baseFinetuned();
    if (tuned != null && tuned.ok()) {
      rows.add(List.of("base, finetuned", "-", "guard", "100.0%", Long.toString(tuned.params()),
          fmt("%.2f", tuned.latencyMillis()), Binomial.format(tuned.accuracy(), tuned.accuracyError()), "-", "0"));
    }
    for (ResultRow r : s.front()) {
      rows.add(List.of(r.planId(), r.plan().criterion(), r.origin(), fmt("%.1f%%", 100 * r.macsShare()),
          Long.toString(r.params()), fmt("%.2f", r.latencyMillis()), Binomial.format(r.accuracy(), r.accuracyError()),
          r.testAccuracy() == null ? "-" : Binomial.format(r.testAccuracy(), r.testAccuracyError()),
          fmt("%.3f", r.meanRatio())));
    }
    return new Table(List.of("plan", "criterion", "origin", "MACs", "params", "latency ms", "val acc", "test acc",
        "mean ratio"), rows, 3);
  }

  /**
   * One line per budget winner, beside the base: what a user reads first. E.g. {@code at <=50% MACs:
   * b34cbbf9a73e (group-norm, evolution) keeps 49.9% of the MACs (2.00x fewer) at 0.9133 ± 0.0036
   * validation accuracy, 0.90 pt below the base model's 0.9223 ± 0.0035}.
   */
  public static List<String> headlines(SearchSummary s) {
    List<String> lines = new ArrayList<>();
    BaseMetrics base = s.base();
    for (BudgetWinner w : s.winners()) {
      ResultRow r = w.row();
      if (r == null) {
        lines.add(w.budget() + ": no plan of the last round fits");
        continue;
      }
      double gap = 100 * (base.accuracy() - r.accuracy());
      String test = r.testAccuracy() == null || base.testAccuracy() == null ? ""
          : fmt("; test %s against the base's %s", Binomial.format(r.testAccuracy(), r.testAccuracyError()),
              Binomial.format(base.testAccuracy(), base.testAccuracyError()));
      lines.add(fmt("%s: %s (%s, %s) keeps %.1f%% of the MACs (%.2fx fewer) at %s validation accuracy, %.2f pt %s"
              + " the base model's %s%s", w.budget(), r.planId(), r.plan().criterion(), r.origin(), 100 * r.macsShare(),
          1 / r.macsShare(), Binomial.format(r.accuracy(), r.accuracyError()), Math.abs(gap), gap >= 0 ? "below" : "above",
          Binomial.format(base.accuracy(), base.accuracyError()), test));
    }
    return lines;
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
          Long.toString(r.params()), fmt("%.2f", r.latencyMillis()), Binomial.format(r.accuracy(), r.accuracyError()),
          r.testAccuracy() == null ? "-" : Binomial.format(r.testAccuracy(), r.testAccuracyError()),
          fmt("%.2f pt", 100 * (base.accuracy() - r.accuracy()))));
    }
    return new Table(List.of("budget", "plan", "criterion", "origin", "MACs", "params", "latency ms", "val acc",
        "test acc", "val drop"), rows, 4);
  }

  /**
   * The final models: each budget's choice (and its best uniform plan, finetuned the same way)
   * after the final finetune, beside the base model; accuracies with their binomial errors.
   */
  public static Table finals(SearchSummary s) {
    List<List<String>> rows = new ArrayList<>();
    for (FinalModel f : s.finals()) {
      rows.add(List.of(f.planId(), f.role(), f.criterion(), fmt("%.1f%%", 100 * f.macsBudget()),
          fmt("%.1f%%", 100 * f.macsShare()), Long.toString(f.params()), f.epochs() + " x " + f.trainImages(),
          Binomial.format(f.valAccuracy(), f.valAccuracyError()),
          f.testAccuracy() == null ? "-" : Binomial.format(f.testAccuracy(), f.testAccuracyError()),
          f.baseTestAccuracy() == null ? "-" : fmt("%.4f", f.baseTestAccuracy()),
          fmt("%.4f", f.searchValAccuracy()) + " / "
              + (f.searchTestAccuracy() == null ? "-" : fmt("%.4f", f.searchTestAccuracy())),
          "final/" + f.planId() + ".zip"));
    }
    return new Table(List.of("plan", "role", "criterion", "MACs budget", "MACs", "params", "epochs x images",
        "val acc", "test acc", "base test acc", "search val / test", "model"), rows, 2);
  }

  /**
   * Per budget with both, what the search gained over its best uniform plan after the same final
   * finetune, e.g. {@code at <=50% MACs after the final finetune: the search's plan 0.9201 ± 0.0027
   * test accuracy, the best uniform plan 0.9170 ± 0.0028: +0.31 pt}.
   */
  public static List<String> finalGains(SearchSummary s) {
    List<String> lines = new ArrayList<>();
    for (FinalModel f : s.finals()) {
      if (!f.role().equals(FinalModel.SEARCH)) {
        continue;
      }
      s.finals().stream().filter(u -> u.role().equals(FinalModel.UNIFORM) && u.macsBudget() == f.macsBudget())
          .findFirst().ifPresent(u -> {
            boolean test = f.testAccuracy() != null && u.testAccuracy() != null;
            double a = test ? f.testAccuracy() : f.valAccuracy();
            double b = test ? u.testAccuracy() : u.valAccuracy();
            lines.add(fmt("at <=%.1f%% MACs after the final finetune: the search's plan %s %s, the best uniform plan"
                    + " %s: %+.2f pt", 100 * f.macsBudget(),
                test ? Binomial.format(a, f.testAccuracyError()) : Binomial.format(a, f.valAccuracyError()),
                test ? "test accuracy" : "validation accuracy",
                test ? Binomial.format(b, u.testAccuracyError()) : Binomial.format(b, u.valAccuracyError()),
                100 * (a - b)));
          });
    }
    return lines;
  }

  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
