package org.depprune.driver.search;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.depprune.driver.results.ResultRow;
import org.depprune.driver.results.RoundStats;

/**
 * The search's progress on the driver console: a line per finished trial (done / total in the
 * round, the trial's metrics, the best accuracy so far under each MACs level, an ETA), and per
 * round the slot accounting that shows stragglers: a Spark listener adds up the busy time of
 * every task attempt, and a round's idle slot time is slots x wall time minus that.
 */
final class SearchProgress extends SparkListener {
  /** MACs levels (shares of the base) the best-accuracy summary is given at. */
  private static final double[] LEVELS = {0.25, 0.5, 0.75, 1.0};

  private final PrintWriter out;
  private final int slots;
  private final AtomicLong busyMillis = new AtomicLong();
  private final double[] best = new double[LEVELS.length];
  private String round = "";
  private int total;
  private int done;
  private long roundStart;
  private long busyAtStart;

  SearchProgress(PrintWriter out, int slots) {
    this.out = out;
    this.slots = slots;
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    busyMillis.addAndGet(taskEnd.taskInfo().duration());
  }

  synchronized void startRound(String name, int trials, int alreadyDone) {
    round = name;
    total = trials;
    done = 0;
    roundStart = System.nanoTime();
    busyAtStart = busyMillis.get();
    out.printf(Locale.ROOT, "%s: %d trials to run%s%n", name, trials,
        alreadyDone > 0 ? " (" + alreadyDone + " already done, skipped)" : "");
    out.flush();
  }

  synchronized RoundStats endRound() {
    double wall = (System.nanoTime() - roundStart) / 1e9;
    var stats = RoundStats.of(round, done, wall, (busyMillis.get() - busyAtStart) / 1e3, slots);
    if (done > 0) {
      out.printf(Locale.ROOT, "%s: %d trials in %.1f s; task time %.1f s on %d slots, idle slot time %.0f%%%n",
          round, done, wall, stats.busySeconds(), slots, 100 * stats.idleShare());
      out.flush();
    }
    return stats;
  }

  /** Remembers a row's accuracy under its MACs level (for rows found on resume too). */
  synchronized void observe(ResultRow row) {
    if (row.ok()) {
      for (int i = 0; i < LEVELS.length; i++) {
        if (row.macsShare() <= LEVELS[i] + 1e-9) {
          best[i] = Math.max(best[i], row.accuracy());
        }
      }
    }
  }

  synchronized void finished(ResultRow row) {
    observe(row);
    done++;
    double elapsed = (System.nanoTime() - roundStart) / 1e9;
    double eta = elapsed / done * (total - done);
    String what = row.ok()
        ? String.format(Locale.ROOT, "acc %.4f  MACs %5.1f%%", row.accuracy(), 100 * row.macsShare())
        : "ERROR " + abbreviate(row.error());
    StringBuilder bests = new StringBuilder();
    for (int i = 0; i < LEVELS.length; i++) {
      bests.append(String.format(Locale.ROOT, " <=%.0f%%:%s", 100 * LEVELS[i],
          best[i] > 0 ? String.format(Locale.ROOT, "%.4f", best[i]) : "-"));
    }
    out.printf(Locale.ROOT, "[%s %3d/%d] %s %-13s %-8s budget %5d  %s | best%s | ETA %s%n",
        round, done, total, row.trialId().substring(0, 12), row.plan().criterion(), row.origin(), row.budget(),
        what, bests, duration(eta));
    out.flush();
  }

  /** A line of its own, between trial lines. */
  synchronized void note(String line) {
    out.println(line);
    out.flush();
  }

  /** A finished trial outside the round in progress (the recipe check). */
  synchronized void aside(ResultRow row) {
    String what = row.ok()
        ? String.format(Locale.ROOT, "acc %s  MACs %5.1f%%",
            org.depprune.driver.results.Binomial.format(row.accuracy(), row.accuracyError()), 100 * row.macsShare())
        : "ERROR " + abbreviate(row.error());
    out.printf(Locale.ROOT, "[%s] %s %-13s budget %5d  %s%n", row.origin(), row.trialId().substring(0, 12),
        row.plan().criterion(), row.budget(), what);
    out.flush();
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
