package org.depprune.driver.results;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writing through Hadoop's file system so that a reader never sees half a file and a crash never
 * leaves no file where there was one.
 */
public final class HadoopFiles {
  private HadoopFiles() {}

  /** What goes into a file. */
  public interface Content {
    void write(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code target} whole: first to a temporary file of its own (unique, so concurrent or
   * retried task attempts never share one), which then takes the target's place. On the local file
   * system that is one overwriting rename, which is atomic. Other file systems (HDFS, object
   * stores) have no overwriting rename here, so the old target first moves aside to
   * {@code .<name>.previous}, the new file is renamed into place, and only then is the previous
   * one deleted: a crash in between leaves the previous version, which {@link #recover} puts back.
   */
  public static void replace(FileSystem fs, Path target, Content content) throws IOException {
    Path tmp = new Path(target.getParent(), "." + target.getName() + "-" + UUID.randomUUID() + ".tmp");
    try {
      try (OutputStream out = fs.create(tmp, false)) {
        content.write(out);
      }
      if (fs instanceof LocalFileSystem local) {
        Files.move(local.pathToFile(tmp).toPath(), local.pathToFile(target).toPath(),
            StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return;
      }
      Path previous = previous(target);
      if (fs.exists(target)) {
        fs.delete(previous, false);
        rename(fs, target, previous);
      }
      rename(fs, tmp, target);
      fs.delete(previous, false);
    } finally {
      fs.delete(tmp, false);
    }
  }

  /**
   * Puts back the previous version of {@code target} when a crash in {@link #replace} left it
   * moved aside and the new one not yet in place; returns whether it did.
   */
  public static boolean recover(FileSystem fs, Path target) throws IOException {
    Path previous = previous(target);
    if (!fs.exists(target) && fs.exists(previous)) {
      rename(fs, previous, target);
      return true;
    }
    return false;
  }

  /**
   * Appends {@code bytes} to {@code target} (created when missing) and flushes them to the file
   * system; false, having written nothing, when the file system cannot append (S3A, for one).
   */
  public static boolean append(FileSystem fs, Path target, byte[] bytes) throws IOException {
    // The local file system's checksummed view cannot append; its raw view can.
    FileSystem appending = fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    FSDataOutputStream out;
    if (!appending.exists(target)) {
      out = appending.create(target, false);
    } else {
      try {
        out = appending.append(target);
      } catch (UnsupportedOperationException e) {
        return false;
      }
    }
    try (out) {
      out.write(bytes);
      out.hflush();
    }
    return true;
  }

  private static Path previous(Path target) {
    return new Path(target.getParent(), "." + target.getName() + ".previous");
  }

  private static void rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("could not rename " + from + " to " + to);
    }
  }
}
