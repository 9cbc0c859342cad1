package org.depprune.importance;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The importance criteria by the names the command line uses. */
public final class Criteria {
  private Criteria() {}

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
    if (criterion == null) {
      throw new IllegalArgumentException(
          "unknown criterion '" + name + "'; choose one of " + String.join(", ", names()));
    }
    return criterion.get();
  }

  /** Every criterion's name. */
  public static java.util.List<String> names() {
    return java.util.List.copyOf(all(0).keySet());
  }
}
