package org.depprune.driver.results;

import java.util.Locale;

/**
 * The binomial standard error of an accuracy: {@code sqrt(p (1 - p) / n)} for {@code p} correct
 * out of {@code n} examples. It is how far another sample of {@code n} examples would typically
 * move the accuracy; two accuracies on the same examples differ by less noise than their errors
 * added, two on different examples by about {@code sqrt(se1^2 + se2^2)}.
 */
public final class Binomial {
  private Binomial() {}

  /** The standard error of accuracy {@code p} on {@code n} examples; NaN when {@code n} is not known (0). */
  public static double standardError(double p, long n) {
    if (n <= 0 || Double.isNaN(p)) {
      return Double.NaN;
    }
    return Math.sqrt(p * (1 - p) / n);
  }

  /** {@code 0.9123 ± 0.0037}, or the accuracy alone when its error is not known. */
  public static String format(double p, double se) {
    if (Double.isNaN(p)) {
      return "-";
    }
    return Double.isNaN(se) ? String.format(Locale.ROOT, "%.4f", p)
        : String.format(Locale.ROOT, "%.4f ± %.4f", p, se);
  }
}
