package org.depprune.driver.data;

/** A record that cannot be decoded under {@code search.data.corrupt = fail}: names it and the fix. */
public final class CorruptRecordException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  CorruptRecordException(String source, String problem) {
    super("corrupt record " + source + ": " + problem
        + " (set search.data.corrupt = skip to leave such records out, counted in the summary)");
  }
}
