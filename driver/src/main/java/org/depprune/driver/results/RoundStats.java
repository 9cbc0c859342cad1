package org.depprune.driver.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a round of the search cost: its trials, its wall time, its tasks' busy time and the slot
 * time it had ({@code slots x wall time} of every run that worked on it). A search that resumes
 * adds its own run of a round to the earlier runs' ({@link #merge}).
 */
public record RoundStats(String round, int trials, double wallSeconds, double busySeconds, double slotSeconds) {

  /** The round's stats on {@code slots} slots. */
  public static RoundStats of(String round, int trials, double wallSeconds, double busySeconds, int slots) {
    return new RoundStats(round, trials, wallSeconds, busySeconds, slots * wallSeconds);
  }

  /** Idle slot time over available slot time. */
  public double idleShare() {
    return slotSeconds <= 0 ? 0 : Math.max(0, 1 - busySeconds / slotSeconds);
  }

  /** Both runs of a round together. */
  public RoundStats plus(RoundStats other) {
    return new RoundStats(round, trials + other.trials, wallSeconds + other.wallSeconds,
        busySeconds + other.busySeconds, slotSeconds + other.slotSeconds);
  }

  /**
   * The rounds of earlier runs with this run's added, by name and in order of first appearance. A
   * round this run found done (no trial) adds nothing, so a resumed finished search keeps the
   * accounting of the runs that did the work.
   */
  public static List<RoundStats> merge(List<RoundStats> earlier, List<RoundStats> now) {
    Map<String, RoundStats> merged = new LinkedHashMap<>();
    earlier.forEach(r -> merged.merge(r.round(), r, RoundStats::plus));
    now.stream().filter(r -> r.trials() > 0).forEach(r -> merged.merge(r.round(), r, RoundStats::plus));
    return new ArrayList<>(merged.values());
  }
}
