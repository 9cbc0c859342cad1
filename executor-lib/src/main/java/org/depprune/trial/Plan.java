package org.depprune.trial;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A pruning plan: an importance criterion, a pruning ratio per prunable group, keyed by the
 * group's root layer, and options of how the pruned network recovers ({@link #DISTILL},
 * {@link #SPARSE_WARMUP}; none by default). Ratios are rounded to {@link #DECIMALS} decimals, so a
 * plan is a canonical value and its {@link #id()} (a hash of its content) is the same wherever and
 * however it was made: the uniform grid, a random draw or the evolution. A plan without options has
 * the id it had before options existed.
 */
public record Plan(String criterion, SortedMap<String, Double> ratios, SortedMap<String, String> options)
    implements Serializable {
  /** Decimals a ratio keeps. */
  public static final int DECIMALS = 4;
  private static final double SCALE = Math.pow(10, DECIMALS);
  /** The criterion name of {@link #unpruned()}: no criterion is asked, no channel goes. */
  public static final String UNPRUNED = "none";
  /** Option: finetune with knowledge distillation from the base model; its value {@code T/alpha}. */
  public static final String DISTILL = "distill";
  /** Option: sparse learning on the base model before pruning; its value {@code method/images/strength}. */
  public static final String SPARSE_WARMUP = "sparse-warmup";

  public Plan {
    if (criterion == null || criterion.isBlank()) {
      throw new IllegalArgumentException("a plan needs a criterion name");
    }
    TreeMap<String, Double> rounded = new TreeMap<>();
    ratios.forEach((layer, r) -> {
      if (!(r >= 0 && r < 1)) {
        throw new IllegalArgumentException("ratio of layer '" + layer + "' must be in [0, 1), found " + r);
      }
      rounded.put(layer, Math.round(r * SCALE) / SCALE);
    });
    ratios = Collections.unmodifiableSortedMap(rounded);
    options.keySet().forEach(k -> {
      if (!k.equals(DISTILL) && !k.equals(SPARSE_WARMUP)) {
        throw new IllegalArgumentException("unknown plan option '" + k + "'; plans know " + DISTILL + " and " + SPARSE_WARMUP);
      }
    });
    options = Collections.unmodifiableSortedMap(new TreeMap<>(options));
  }

  public Plan(String criterion, Map<String, Double> ratios) {
    this(criterion, new TreeMap<>(ratios), new TreeMap<>());
  }

  /** This plan with option {@code key} set to {@code value}, or removed when {@code value} is null. */
  public Plan withOption(String key, String value) {
    TreeMap<String, String> o = new TreeMap<>(options);
    if (value == null) {
      o.remove(key);
    } else {
      o.put(key, value);
    }
    return new Plan(criterion, ratios, o);
  }

  /** This plan's criterion and options with other ratios. */
  public Plan withRatios(Map<String, Double> newRatios) {
    return new Plan(criterion, new TreeMap<>(newRatios), options);
  }

  /** The same ratio on every one of {@code layers}. */
  public static Plan uniform(String criterion, Iterable<String> layers, double ratio) {
    TreeMap<String, Double> ratios = new TreeMap<>();
    layers.forEach(layer -> ratios.put(layer, ratio));
    return new Plan(criterion, ratios);
  }

  /** The plan that prunes nothing: the base model as it is ({@code guard} trials check a finetune recipe on it). */
  public static Plan unpruned() {
    return new Plan(UNPRUNED, Map.of());
  }

  /** Whether the plan removes no channel: every ratio is 0. */
  public boolean prunesNothing() {
    return ratios.values().stream().allMatch(r -> r == 0);
  }

  /** Whether every layer has the same ratio. */
  public boolean isUniform() {
    return ratios.values().stream().distinct().count() <= 1;
  }

  /**
   * The canonical text the id hashes: {@code criterion|layer=ratio;layer=ratio;...}, then
   * {@code |option=value;...} when the plan has options.
   */
  public String canonical() {
    StringBuilder s = new StringBuilder(criterion).append('|');
    ratios.forEach((layer, r) -> s.append(layer).append('=').append(String.format(Locale.ROOT, "%.4f", r)).append(';'));
    if (!options.isEmpty()) {
      s.append('|');
      options.forEach((k, v) -> s.append(k).append('=').append(v).append(';'));
    }
    return s.toString();
  }

  /** A stable id: the first 12 hex digits of the SHA-256 of {@link #canonical()}. */
  public String id() {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * The plan's seed under a search seed: its finetune order, dropout and random criterion all
   * draw from it, so a retried task reproduces its result.
   */
  public long seed(long searchSeed) {
    long h = searchSeed;
    for (char c : id().toCharArray()) {
      h = 31 * h + c;
    }
    return mix(h);
  }

  /** SplitMix64's finaliser: spreads nearby inputs over the whole long range. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
