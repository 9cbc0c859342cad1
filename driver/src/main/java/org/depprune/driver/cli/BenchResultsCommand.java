package org.depprune.driver.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.depprune.driver.results.Execution;
import org.depprune.driver.results.ResultRow;
import org.depprune.driver.results.ResultStore;
import org.depprune.driver.results.SearchProvenance;
import org.depprune.trial.Plan;
import org.depprune.trial.Trial;
import org.depprune.trial.TrialResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code depprune bench-results}: what recording one more trial's row costs once a search holds
 * N rows, appending a line (DepPrune's way) against rewriting the whole {@code results.jsonl}
 * (what a file system without append gets, and what every put did before). Prints a Markdown
 * table for BENCHMARKS.md.
 */
@Command(
    name = "bench-results",
    mixinStandardHelpOptions = true,
    description = "Time recording the N-th result row: append-only results.jsonl against rewriting it whole.")
final class BenchResultsCommand implements Callable<Integer> {
  @Option(names = "--rows", split = ",", description = "Rows already recorded (default: ${DEFAULT-VALUE}).")
  List<Integer> rows = new ArrayList<>(List.of(100, 1_000, 10_000));

  @Option(names = "--puts", description = "Timed puts at each size; the median is reported (default: ${DEFAULT-VALUE}).")
  int puts = 21;

  @Option(names = "--dir", paramLabel = "DIR", description = "Where the stores go (local path or Hadoop URI; default: a temporary directory).")
  String dir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    String root = dir != null ? dir : Files.createTempDirectory("depprune-bench-results").toString();
    out.println("| rows recorded | append: next row (ms, median) | rewrite: next row (ms, median) | results.jsonl (MB) |");
    out.println("| --- | --- | --- | --- |");
    for (int n : rows) {
      double append = median(root + "/append-" + n, n, false);
      double rewrite = median(root + "/rewrite-" + n, n, true);
      ResultStore appended = ResultStore.open(root + "/append-" + n, new Configuration());
      long bytes = appended.fs().getFileStatus(appended.file(ResultStore.JSONL)).getLen();
      out.printf(java.util.Locale.ROOT, "| %,d | %.3f | %.3f | %.1f |%n", n, append, rewrite, bytes / 1e6);
      out.flush();
    }
    out.printf("(%d timed puts per cell, after %s rows; %s)%n", puts, rows, root);
    return 0;
  }

  /** The median time of {@link #puts} puts into a store that already holds {@code n - 1} rows. */
  private double median(String where, int n, boolean rewrite) throws Exception {
    ResultStore store = ResultStore.open(where, new Configuration());
    List<ResultRow> first = new ArrayList<>();
    for (int i = 0; i < n - 1; i++) {
      first.add(row(i));
    }
    store.putAll(first);
    if (rewrite) {
      store.rewritingEveryPut();
    }
    double[] millis = new double[puts];
    for (int k = 0; k < puts; k++) {
      ResultRow row = row(n - 1 + k);
      long start = System.nanoTime();
      store.put(row);
      millis[k] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(millis);
    return millis[puts / 2];
  }

  /** A realistic row: five layers' ratios, metrics, timings, where it ran, the provenance. */
  private static ResultRow row(int i) {
    Map<String, Double> ratios = new TreeMap<>();
    for (String layer : List.of("stem", "block1_conv1", "down", "block2_conv1", "dense")) {
      ratios.put(layer, ((i * 37 + layer.length()) % 7000) / 10_000.0);
    }
    Trial trial = new Trial(new Plan("group-norm", ratios), "evolution", 0, 1024, i * 7919L, i % 8);
    var metrics = new TrialResult.Metrics(0.85 + (i % 100) / 1000.0, 1_000_000 + i, 0.4, 100_000 + i, 12.5);
    var result = new TrialResult(trial, metrics, null, new TrialResult.Timings(0.3, 12.1, 1.4, 13.9));
    return ResultRow.of(result, new Execution(0, "3", "worker-1", "2026-11-30T12:00:00Z", "2026-11-30T12:00:14Z"),
        new SearchProvenance("0123456789ab", 42, Map.of("depprune", "0.1.0", "dl4j", "1.0.0-M2.1", "spark", "3.5.8",
            "java", "17.0.15")));
  }
}
