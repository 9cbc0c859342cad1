package org.depprune.driver.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.depprune.data.Split;

/**
 * Which part of the training data a record belongs to, by its id alone, so every executor decides
 * the same without asking the driver: validation or training, and the training partition.
 * <ul>
 *   <li>{@link Mode#RECORDED}: the split a base model records ({@link Split#of}, over row
 *       positions 0..n-1) and its partitions ({@link Split#partitions}), exactly as the search
 *       always used them: every executor rebuilds them from (n, validation size, seeds).
 *   <li>{@link Mode#FRACTION}: validation when a seeded hash of the id falls under the fraction;
 *       for data of any size.
 *   <li>{@link Mode#PATHS}: the validation set has its own path; every training record trains.
 * </ul>
 * Outside {@link Mode#RECORDED} a training record's partition is a second seeded hash of its id.
 */
public record SplitPlan(Mode mode, long examples, int validationExamples, double fraction, long splitSeed,
    long partitionSeed, int partitions) implements Serializable {

  public enum Mode { RECORDED, FRACTION, PATHS }

  /** Partition index of a validation record. */
  static final int VALIDATION = -1;

  private static final ConcurrentHashMap<SplitPlan, int[]> RECORDED_ROLES = new ConcurrentHashMap<>();

  /** The training partition of record {@code id}, or {@link #VALIDATION}. */
  int partition(long id) {
    return switch (mode) {
      case RECORDED -> RECORDED_ROLES.computeIfAbsent(this, SplitPlan::recordedRoles)[Math.toIntExact(id)];
      case FRACTION -> unit(mix(splitSeed, id)) < fraction ? VALIDATION : hashPartition(id);
      case PATHS -> hashPartition(id);
    };
  }

  private int hashPartition(long id) {
    return (int) Long.remainderUnsigned(mix(partitionSeed ^ 0x9E3779B97F4A7C15L, id), partitions);
  }

  /** For each row position, its partition or VALIDATION: the split and partitions of {@link Split}. */
  private int[] recordedRoles() {
    Split split = Split.of(Math.toIntExact(examples), validationExamples, splitSeed);
    int[] roles = new int[Math.toIntExact(examples)];
    Arrays.fill(roles, VALIDATION);
    List<int[]> parts = split.partitions(partitions, partitionSeed);
    for (int p = 0; p < parts.size(); p++) {
      for (int i : parts.get(p)) {
        roles[i] = p;
      }
    }
    return roles;
  }

  /** SplitMix64's finaliser over (seed, id): a well-mixed 64-bit hash. */
  static long mix(long seed, long id) {
    long z = seed + 0x9E3779B97F4A7C15L * (id + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static double unit(long hash) {
    return (hash >>> 11) * 0x1.0p-53;
  }

  /** In words, for the search's first lines and data.json. */
  public String describe() {
    return switch (mode) {
      case RECORDED -> "the split the base model records (" + validationExamples + " of " + examples
          + " examples held out, seed " + splitSeed + ")";
      case FRACTION -> String.format(java.util.Locale.ROOT, "%.3f of the training data held out by a hash of each"
          + " id (seed %d)", fraction, splitSeed);
      case PATHS -> "the validation set's own path";
    };
  }
}
