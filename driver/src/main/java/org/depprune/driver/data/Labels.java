package org.depprune.driver.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The classes of a data set, in the network's output order. Integer labels are class indices
 * themselves ({@code 0 .. classes-1}, whatever the data holds); string labels are sorted, and the
 * i-th is class i. The list travels into the results and every saved model's provenance.
 *
 * @param names the class names, in output order
 * @param integer whether the raw labels are class indices
 */
public record Labels(List<String> names, boolean integer) implements Serializable {
  public Labels {
    names = List.copyOf(names);
  }

  /** Labels from the distinct raw labels of the training data, for a network of {@code classes} outputs. */
  static Labels of(Collection<String> distinct, int classes) {
    if (!distinct.isEmpty() && distinct.stream().allMatch(Labels::isInteger)) {
      for (String raw : distinct) {
        long index = Long.parseLong(raw.trim());
        if (index < 0 || index >= classes) {
          throw new IllegalArgumentException("the data has label " + raw + " but the model has " + classes
              + " outputs (integer labels are class indices 0 .. " + (classes - 1) + "): check"
              + " search.data.columns.label, or use a model with more outputs");
        }
      }
      return new Labels(IntStream.range(0, classes).mapToObj(String::valueOf).toList(), true);
    }
    List<String> sorted = new ArrayList<>(new TreeSet<>(distinct));
    if (sorted.size() != classes) {
      throw new IllegalArgumentException("the training data has " + sorted.size() + " classes " + sorted
          + " but the model has " + classes + " outputs: check search.data.columns.label, or use a model with "
          + sorted.size() + " outputs");
    }
    return new Labels(sorted, false);
  }

  /** The class of raw label {@code raw}, or -1 when it is not one of these. */
  int index(String raw) {
    if (raw == null) {
      return -1;
    }
    if (integer) {
      if (!isInteger(raw)) {
        return -1;
      }
      long i = Long.parseLong(raw.trim());
      return i >= 0 && i < names.size() ? (int) i : -1;
    }
    int at = java.util.Collections.binarySearch(names, raw);
    return at >= 0 ? at : -1;
  }

  /** Fails, naming them, when {@code other} (a validation or test set's labels) has labels not among these. */
  void requireKnown(Collection<String> other, String what) {
    List<String> unknown = other.stream().filter(l -> index(l) < 0).sorted().collect(Collectors.toList());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("the " + what + " has labels " + unknown + " that the training data does"
          + " not have (" + names + "): the splits must share their classes; check search.data." + what.split(" ")[0]);
    }
  }

  private static boolean isInteger(String s) {
    return s != null && s.trim().matches("-?\\d{1,18}");
  }
}
