package org.depprune.importance;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The importance criteria by the names the command line uses. */
public final class Criteria {
  private Criteria() {}

  /** The data-driven criteria's names: they need calibration data. */
  public static final java.util.List<String> DATA_DRIVEN =
      java.util.List.of("taylor", "hessian", "group-taylor", "group-hessian");

  /**
   * The criterion called {@code name}; {@code seed} drives the random one and the dropout masks
   * of the data-driven ones, which read up to {@code batches} batches of {@code calibration}
   * (which may be null for the others).
   */
  public static Importance byName(
      String name, long seed, org.nd4j.linalg.dataset.api.iterator.DataSetIterator calibration, int batches) {
    if (DATA_DRIVEN.contains(name)) {
      if (calibration == null) {
        throw new IllegalArgumentException(
            "criterion '" + name + "' needs calibration data (the loss gradient): give it training batches");
      }
      var kind = name.endsWith("taylor") ? DataDrivenImportance.Kind.TAYLOR : DataDrivenImportance.Kind.HESSIAN;
      return new DataDrivenImportance(kind, name.startsWith("group-"), calibration, batches, seed);
    }
    return byName(name, seed);
  }

  private static Map<String, Supplier<Importance>> all(long seed) {
    Map<String, Supplier<Importance>> m = new LinkedHashMap<>();
    m.put("magnitude", MagnitudeImportance::new);
    m.put("group-norm", GroupNormImportance::new);
    m.put("bn-scale", BnScaleImportance::new);
    m.put("lamp", LampImportance::new);
    m.put("fpgm", FpgmImportance::new);
    m.put("random", () -> new RandomImportance(seed));
    return m;
  }

  /** The criterion called {@code name}; {@code seed} drives the random one. */
  public static Importance byName(String name, long seed) {
    Supplier<Importance> criterion = all(seed).get(name);
    if (DATA_DRIVEN.contains(name)) {
      throw new IllegalArgumentException(
          "criterion '" + name + "' needs calibration data (the loss gradient): give it training batches");
    }
    if (criterion == null) {
      throw new IllegalArgumentException(
          "unknown criterion '" + name + "'; choose one of " + String.join(", ", names()));
    }
    return criterion.get();
  }

  /** Every criterion's name. */
  public static java.util.List<String> names() {
    java.util.List<String> names = new java.util.ArrayList<>(all(0).keySet());
    names.addAll(DATA_DRIVEN);
    return java.util.List.copyOf(names);
  }
}
