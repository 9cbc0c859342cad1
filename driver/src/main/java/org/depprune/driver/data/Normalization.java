package org.depprune.driver.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.depprune.driver.config.DataSpec;

/**
 * {@code standard} normalisation, {@code (x - mean) / std} per channel of an image or per feature of
 * a vector, with the mean and standard deviation given in the config or computed on the training
 * split (never on validation or test data); for {@code unit} and {@code none} the identity.
 */
record Normalization(double[] mean, double[] std) implements Serializable {

  static Normalization of(DataSpec.Image spec, Layout layout, JavaPairRDD<Integer, Decoded> keyed, int partitions) {
    if (!spec.normalization().equals("standard")) {
      return new Normalization(null, null);
    }
    int groups = layout.groups();
    if (!spec.mean().isEmpty()) {
      if (spec.mean().size() != groups && spec.mean().size() != 1) {
        throw new IllegalArgumentException("search.data.image.mean has " + spec.mean().size() + " values but the"
            + " examples have " + groups + (layout.image() ? " channels" : " features") + ": give one value or "
            + groups);
      }
      return new Normalization(expand(spec.mean(), groups), expand(spec.std(), groups));
    }
    // sums, sums of squares and counts per group, over the training records only
    double[] totals = keyed.filter(t -> t._1() < partitions && t._2().ok()).values()
        .aggregate(new double[3 * groups], (acc, d) -> {
          float[] x = d.features();
          for (int i = 0; i < x.length; i++) {
            int g = layout.group(i);
            acc[g] += x[i];
            acc[groups + g] += (double) x[i] * x[i];
            acc[2 * groups + g] += 1;
          }
          return acc;
        }, (a, b) -> {
          for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
          }
          return a;
        });
    double[] mean = new double[groups];
    double[] std = new double[groups];
    for (int g = 0; g < groups; g++) {
      double n = Math.max(1, totals[2 * groups + g]);
      mean[g] = totals[g] / n;
      double variance = Math.max(0, totals[groups + g] / n - mean[g] * mean[g]);
      std[g] = variance > 1e-12 ? Math.sqrt(variance) : 1; // a constant feature is left centred, not divided by 0
    }
    return new Normalization(mean, std);
  }

  private static double[] expand(List<Double> values, int groups) {
    double[] out = new double[groups];
    Arrays.setAll(out, g -> values.get(values.size() == 1 ? 0 : g));
    return out;
  }

  /** {@code x}, normalised in place; {@code layout} gives each float's group. */
  float[] applyInPlace(float[] x, Layout layout) {
    if (mean != null) {
      for (int i = 0; i < x.length; i++) {
        int g = layout.group(i);
        x[i] = (float) ((x[i] - mean[g]) / std[g]);
      }
    }
    return x;
  }

  List<Double> meanList() {
    return mean == null ? List.of() : Arrays.stream(mean).boxed().toList();
  }

  List<Double> stdList() {
    return std == null ? List.of() : Arrays.stream(std).boxed().toList();
  }
}
