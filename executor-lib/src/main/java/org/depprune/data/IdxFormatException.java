package org.depprune.data;

import java.io.IOException;
import java.nio.file.Path;

/** An IDX file that cannot be read as one: wrong magic number, truncated, or inconsistent. */
public final class IdxFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  IdxFormatException(Path file, String problem) {
    this(file.toString(), problem);
  }

  IdxFormatException(String file, String problem) {
    super("IDX file " + file + ": " + problem);
  }
}
