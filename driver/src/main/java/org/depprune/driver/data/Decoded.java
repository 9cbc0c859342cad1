package org.depprune.driver.data;

import java.io.Serializable;

/**
 * One record of a data source after decoding, on an executor: its id, its raw label, and its
 * features laid out as the network takes them ({@link Layout}); or, for a record that could not be
 * decoded under {@code corrupt = skip}, what was wrong with it.
 *
 * @param source the file or row it came from, for errors and the skipped-records report
 * @param problem null for a good record
 */
record Decoded(long id, String label, float[] features, String source, String problem) implements Serializable {
  static Decoded bad(long id, String source, String problem) {
    return new Decoded(id, null, null, source, problem);
  }

  boolean ok() {
    return problem == null;
  }
}
