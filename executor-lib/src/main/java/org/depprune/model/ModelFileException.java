package org.depprune.model;

import java.io.IOException;

/** A model file that cannot be read: not a DL4J zip, truncated, or of an unknown format. */
public final class ModelFileException extends IOException {
  private static final long serialVersionUID = 1L;

  ModelFileException(String source, String problem, Throwable cause) {
    super("model file " + source + ": " + problem, cause);
  }
}
