package org.depprune.model;

import java.io.IOException;
import java.nio.file.Path;

/** A model file that cannot be read: not a DL4J zip, truncated, or of an unknown format. */
public final class ModelFileException extends IOException {
  private static final long serialVersionUID = 1L;

  ModelFileException(Path file, String problem, Throwable cause) {
    super("model file " + file + ": " + problem, cause);
  }
}
