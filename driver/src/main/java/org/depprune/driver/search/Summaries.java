package org.depprune.driver.search;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.depprune.driver.config.SearchConfig;
import org.depprune.driver.data.DataDescription;
import org.depprune.driver.results.BaseMetrics;
import org.depprune.driver.results.Objectives;
import org.depprune.driver.results.Pareto;
import org.depprune.driver.results.ResultRow;
import org.depprune.driver.results.ResultStore;
import org.depprune.driver.results.RoundStats;
import org.depprune.driver.results.SearchSummary;
import org.depprune.driver.results.Tables;

/** A search's summary: made from the store's rows, and printed on the console. */
final class Summaries {
  private Summaries() {}

  /**
   * The rounds an earlier run of this search accounted for in its {@code summary.json}: a resumed
   * search adds its own to them ({@link RoundStats#merge}). Summaries written before rounds had
   * {@code slotSeconds} give it as {@code slots x wallSeconds}.
   */
  static List<RoundStats> earlierRounds(ResultStore store) throws IOException {
    var text = store.readText(SearchJob.SUMMARY);
    if (text.isEmpty()) {
      return List.of();
    }
    JsonNode rounds = SearchJob.JSON.readTree(text.get()).path("rounds");
    List<RoundStats> earlier = new ArrayList<>();
    for (JsonNode r : rounds) {
      double wall = r.path("wallSeconds").asDouble();
      double slotSeconds = r.has("slotSeconds") ? r.get("slotSeconds").asDouble() : r.path("slots").asInt() * wall;
      earlier.add(new RoundStats(r.path("round").asText(), r.path("trials").asInt(), wall,
          r.path("busySeconds").asDouble(), slotSeconds));
    }
    return earlier;
  }

  static SearchSummary summarize(SearchConfig config, SearchConfig.Halving halving, ResultStore store,
      BaseMetrics base, List<String> layers, FinalFront.Outcome outcome, List<RoundStats> rounds,
      DataDescription data) {
    Objectives objectives = new Objectives(config.objectives(), base);
    double[] reference = reference(config, objectives);
    List<ResultRow> rows = store.rows();
    List<Integer> budgets = halving.budgets();
    int first = budgets.get(0);
    var firstRound = new SearchSummary.FirstRound(
        hypervolume(rows, r -> r.budget() == first && r.round() >= 0, objectives, reference),
        hypervolume(rows, r -> r.budget() == first && r.origin().equals("uniform"), objectives, reference),
        hypervolume(rows, r -> r.budget() == first && r.round() >= 0 && !r.origin().equals("uniform"), objectives,
            reference));
    double hv = Pareto.hypervolumeOf(outcome.front().stream().map(objectives::minimized).toList(), reference);
    int errors = (int) rows.stream().filter(r -> !r.ok()).count();
    ResultRow guard = rows.stream().filter(r -> r.origin().equals("guard") && r.ok()).findFirst().orElse(null);
    return new SearchSummary(store.dir().toString(), base, layers, outcome.front(), budgets.get(budgets.size() - 1),
        hv, config.hypervolumeReference(), firstRound, rounds, rows.size(), errors, data,
        config.objectives().stream().map(SearchConfig.Objective::key).toList(), outcome.winners(), List.of(), guard,
        config.finetune().recipe().describe());
  }

  /** The hypervolume's reference in minimised objectives: (-accuracy floor, share ceiling, ...). */
  private static double[] reference(SearchConfig config, Objectives objectives) {
    double[] reference = new double[objectives.size()];
    reference[0] = -config.hypervolumeReference().get(0);
    for (int k = 1; k < reference.length; k++) {
      reference[k] = config.hypervolumeReference().get(1);
    }
    return reference;
  }

  private static double hypervolume(List<ResultRow> rows, Predicate<ResultRow> which, Objectives objectives,
      double[] reference) {
    return Pareto.hypervolumeOf(rows.stream().filter(r -> r.ok() && which.test(r)).map(objectives::minimized).toList(),
        reference);
  }

  /** The front (and the final models) as the console shows them. */
  static void print(PrintWriter out, SearchSummary s) {
    out.println();
    out.printf(Locale.ROOT, "Pareto front (%d plans; budget %d images; hypervolume %.4f against %s):%n",
        s.front().size(), s.lastBudget(), s.hypervolume(), s.hypervolumeReference());
    out.print(Tables.front(s).text());
    if (!s.winners().isEmpty()) {
      out.println("budgets (the most accurate plan of the last round within each):");
      out.print(Tables.winners(s).text());
    }
    out.printf("finetune: %s; accuracies are ± one binomial standard error%n", s.recipe());
    out.printf(Locale.ROOT, "%d trials (%d failed); first-round hypervolume: all %.4f, uniform %.4f, searched %.4f%n",
        s.trials(), s.errors(), s.firstRoundHypervolume().all(), s.firstRoundHypervolume().uniform(),
        s.firstRoundHypervolume().searched());
    if (!s.finals().isEmpty()) {
      out.println("final models (finetuned on the whole training split):");
      out.print(Tables.finals(s).text());
      Tables.finalGains(s).forEach(line -> out.println("result " + line));
    }
    out.printf("results: %s/{%s,%s,%s}, models of the front in %s/pareto, report %s/report.html%n", s.output(),
        ResultStore.JSONL, ResultStore.CSV, ResultStore.PARQUET, s.output(), s.output());
    Tables.headlines(s).forEach(line -> out.println("result " + line));
    out.flush();
  }
}
