package org.depprune.driver.search;

import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Writing through Hadoop's file system so that a reader never sees half a file. */
final class HadoopFiles {
  private HadoopFiles() {}

  /** What goes into a file. */
  interface Content {
    void write(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code target} through a temporary file of its own (unique, so concurrent or retried
   * task attempts never share one) that then replaces the target by a rename.
   */
  static void replace(FileSystem fs, Path target, Content content) throws IOException {
    Path tmp = new Path(target.getParent(), "." + target.getName() + "-" + UUID.randomUUID() + ".tmp");
    try {
      try (OutputStream out = fs.create(tmp, false)) {
        content.write(out);
      }
      fs.delete(target, false);
      if (!fs.rename(tmp, target)) {
        throw new IOException("could not rename " + tmp + " to " + target);
      }
    } finally {
      fs.delete(tmp, false);
    }
  }
}
