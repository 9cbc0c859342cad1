package org.depprune.driver.search;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import java.util.Optional;
import org.depprune.driver.data.Scoring;
import org.depprune.driver.execution.TrialContext;
import org.depprune.driver.execution.TrialTask;
import org.depprune.driver.config.SearchConfig;
import org.depprune.driver.results.BudgetWinner;
import org.depprune.driver.results.Objectives;
import org.depprune.driver.results.Pareto;
import org.depprune.driver.results.ResultRow;
import org.depprune.driver.results.ResultStore;

/**
 * The end of the rounds: the last round's Pareto front on the search's objectives and each
 * budget's winner, their models scored once on the test set when the data has one (one job over
 * the test set's cached partitions, skipped for rows that have a test accuracy already; without a
 * test set the column stays empty), the rows marked on or off the front in the store, and the
 * front's models and rows copied to {@code pareto/}.
 */
final class FinalFront {
  private FinalFront() {}

  /** The front (by increasing first cost) and each budget's winner, scored on the test set. */
  record Outcome(List<ResultRow> front, List<BudgetWinner> winners) {}

  /** The front of {@code lastRound} and the budgets' winners, marked, scored and copied. */
  static Outcome finish(JavaSparkContext sc, ResultStore store, List<ResultRow> lastRound, Objectives objectives,
      List<SearchConfig.Budget> budgets, TrialContext context, Optional<Scoring> test, int threads, String jobGroup,
      PrintWriter out) throws IOException {
    List<ResultRow> front = new ArrayList<>();
    for (int i : Pareto.frontOf(lastRound.stream().map(objectives::minimized).toList())) {
      front.add(lastRound.get(i));
    }
    List<BudgetWinner> winners = budgets.stream().map(b -> BudgetWinner.of(b, lastRound)).toList();
    Set<String> scored = new java.util.LinkedHashSet<>();
    front.forEach(r -> scored.add(r.trialId()));
    winners.stream().filter(w -> w.row() != null).forEach(w -> scored.add(w.row().trialId()));
    Map<String, ResultRow> byId = new java.util.HashMap<>();
    lastRound.forEach(r -> byId.put(r.trialId(), r));
    List<String> toScore = test.isEmpty() ? List.of()
        : scored.stream().filter(id -> byId.get(id).testAccuracy() == null).toList();
    Map<String, Double> scores = Map.of();
    if (!toScore.isEmpty()) {
      out.printf("scoring the %d models of the Pareto front and the budgets' winners on the test set%n",
          toScore.size());
      out.flush();
      sc.setJobGroup(jobGroup, "test accuracy of the Pareto front", true);
      scores = test.get().accuracy(sc, toScore, context.trialsDir(), context.hadoop(), threads);
    }
    Set<String> onFront = new HashSet<>();
    List<ResultRow> marked = new ArrayList<>();
    for (ResultRow r : front) {
      marked.add(r.withFront(true, scores.getOrDefault(r.trialId(), r.testAccuracy())));
      onFront.add(r.trialId());
    }
    List<ResultRow> updated = new ArrayList<>(marked);
    for (String id : scored) {
      if (!onFront.contains(id)) {
        ResultRow r = byId.get(id);
        updated.add(r.withFront(false, scores.getOrDefault(id, r.testAccuracy())));
      }
    }
    for (ResultRow r : store.rows()) {
      if (r.pareto() && !onFront.contains(r.trialId()) && !scored.contains(r.trialId())) {
        updated.add(r.withFront(false, r.testAccuracy()));
      }
    }
    store.putAll(updated);
    copyModels(store, marked, context.trialsDir());
    return new Outcome(marked, winners.stream().map(w -> w.scored(updated)).toList());
  }

  private static void copyModels(ResultStore store, List<ResultRow> front, String trialsDir) throws IOException {
    store.fs().delete(store.file("pareto"), true);
    store.fs().mkdirs(store.file("pareto"));
    for (ResultRow row : front) {
      Path model = TrialTask.modelPath(trialsDir, row.trialId());
      store.copy(model, "pareto/" + row.planId() + ".zip");
      store.writeAtomically("pareto/" + row.planId() + ".json", w -> w.write(SearchJob.JSON.writeValueAsString(row)));
    }
  }
}
