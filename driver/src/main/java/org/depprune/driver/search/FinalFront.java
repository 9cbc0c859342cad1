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
import org.depprune.driver.execution.TrialExecutor;
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
      PrintWriter out, TrialExecutor executor) throws IOException {
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
    recreateMissing(store, scored.stream().map(byId::get).toList(), context, executor, out);
    List<String> toScore = test.isEmpty() ? List.of()
        : scored.stream().filter(id -> byId.get(id).testAccuracy() == null).toList();
    Map<String, Scoring.Score> scores = Map.of();
    if (!toScore.isEmpty()) {
      out.printf("scoring the %d models of the Pareto front and the budgets' winners on the test set%n",
          toScore.size());
      out.flush();
      sc.setJobGroup(jobGroup, "test accuracy of the Pareto front", true);
      scores = test.get().scores(sc, toScore, context.trialsDir(), context.hadoop(), threads);
    }
    Set<String> onFront = new HashSet<>();
    List<ResultRow> marked = new ArrayList<>();
    for (ResultRow r : front) {
      marked.add(tested(r, true, scores));
      onFront.add(r.trialId());
    }
    List<ResultRow> updated = new ArrayList<>(marked);
    for (String id : scored) {
      if (!onFront.contains(id)) {
        ResultRow r = byId.get(id);
        updated.add(tested(r, false, scores));
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

  /** {@code r} on or off the front, with its new test score if it got one. */
  private static ResultRow tested(ResultRow r, boolean onFront, Map<String, Scoring.Score> scores) {
    Scoring.Score s = scores.get(r.trialId());
    return s == null ? r.withFront(onFront, r.testAccuracy()) : r.withFront(onFront, s.accuracy(), s.examples());
  }

  /**
   * Runs again the trials among {@code rows} whose model is not in the trials directory (removed,
   * or never saved), so the front can be scored and copied: a plan is replayable, and a trial's seed
   * derives from its plan, so the model made again is the one its row measured. A rerun whose
   * accuracy differs from its row's is reported.
   */
  static void recreateMissing(ResultStore store, List<ResultRow> rows, TrialContext context, TrialExecutor executor,
      PrintWriter out) throws IOException {
    for (ResultRow row : rows) {
      if (store.fs().exists(TrialTask.modelPath(context.trialsDir(), row.trialId()))) {
        continue;
      }
      out.printf("re-creating the model of trial %s from its plan (it was not saved)%n", row.trialId());
      out.flush();
      TrialTask.Output again = executor.runOne(row.trial(), true);
      if (!again.result().ok()) {
        throw new IllegalStateException("could not re-create the model of trial " + row.trialId() + ": "
            + again.result().failure().message());
      }
      double accuracy = again.result().metrics().accuracy();
      if (Math.abs(accuracy - row.accuracy()) > 1e-9) {
        out.printf(java.util.Locale.ROOT, "  warning: the re-created model scores %.4f, its row %.4f%n", accuracy,
            row.accuracy());
      }
    }
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
