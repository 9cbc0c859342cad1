package org.depprune.driver.data;

import java.io.Serializable;
import java.util.List;
import org.depprune.data.Examples;

/**
 * One cached Spark partition of a search's data: its examples, sorted by id, and the records of it
 * that were skipped as corrupt (their count, and the first few with what was wrong).
 */
public record Block(Examples examples, long skipped, List<String> skippedSamples) implements Serializable {
  /** How many skipped records a block names. */
  static final int SAMPLES = 5;

  public Block {
    skippedSamples = List.copyOf(skippedSamples);
  }
}
