package org.depprune.driver.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.depprune.driver.config.SearchConfig.Choice;
import org.depprune.driver.config.SearchConfig.Recovery;
import org.depprune.trial.Plan;

/**
 * The plan options of {@code search.recovery}: their values as a plan records them (so a plan is
 * replayable from its row alone), the ones every plan gets, and the ones the search chooses.
 */
final class RecoveryOptions {
  private RecoveryOptions() {}

  /** {@value Plan#DISTILL}'s value: {@code T/alpha}, e.g. {@code 4.0/0.7}. */
  static String distill(Recovery r) {
    return String.format(Locale.ROOT, "%s/%s", r.temperature(), r.alpha());
  }

  /** {@value Plan#SPARSE_WARMUP}'s value: {@code method/images/strength}, e.g. {@code group-lasso/2048/1.0E-4}. */
  static String sparseWarmup(Recovery r) {
    return String.format(Locale.ROOT, "%s/%d/%s", r.sparseMethod(), r.sparseWarmupImages(), r.sparseStrength());
  }

  /** {@code plan} with the options the config fixes, and both ways for those the search chooses. */
  static List<Plan> variants(Recovery r, Plan plan) {
    List<Plan> variants = List.of(plan);
    variants = withOption(variants, r.distill(), Plan.DISTILL, distill(r));
    return withOption(variants, r.sparseWarmup(), Plan.SPARSE_WARMUP, sparseWarmup(r));
  }

  private static List<Plan> withOption(List<Plan> plans, Choice choice, String key, String value) {
    List<Plan> out = new ArrayList<>();
    for (Plan p : plans) {
      if (choice != Choice.ON) {
        out.add(p);
      }
      if (choice != Choice.OFF) {
        out.add(p.withOption(key, value));
      }
    }
    return out;
  }

  /** {@code plan} with the options that are on for every plan. */
  static Plan fixed(Recovery r, Plan plan) {
    Plan p = plan;
    if (r.distill() == Choice.ON) {
      p = p.withOption(Plan.DISTILL, distill(r));
    }
    if (r.sparseWarmup() == Choice.ON) {
      p = p.withOption(Plan.SPARSE_WARMUP, sparseWarmup(r));
    }
    return p;
  }

  /** The options the search turns on or off per plan, with their values. */
  static Map<String, String> chosen(Recovery r) {
    Map<String, String> chosen = new TreeMap<>();
    if (r.distill() == Choice.SEARCH) {
      chosen.put(Plan.DISTILL, distill(r));
    }
    if (r.sparseWarmup() == Choice.SEARCH) {
      chosen.put(Plan.SPARSE_WARMUP, sparseWarmup(r));
    }
    return chosen;
  }
}
