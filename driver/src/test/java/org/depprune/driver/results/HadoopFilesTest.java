package org.depprune.driver.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written whole through Hadoop's file system, and the crash window of a replace: the real
 * local file system, and a view of it whose rename or delete fails the way a killed driver stops
 * (a file system without an overwriting rename, as HDFS and object stores are here).
 */
class HadoopFilesTest {
  @TempDir java.nio.file.Path dir;
  FileSystem local;
  Path target;

  @BeforeEach
  void localFileSystem() throws IOException {
    local = FileSystem.getLocal(new Configuration());
    local.setWriteChecksum(false);
    target = new Path(dir.resolve("results.jsonl").toUri());
  }

  /**
   * Fails the {@code nth} {@code operation} (rename or delete) onto a path called {@code name}, and
   * every one after it, as if the process died there.
   */
  static final class KilledAt extends FilterFileSystem {
    private final String operation;
    private final String name;
    private int before;

    KilledAt(FileSystem fs, String operation, String name, int nth) {
      super(fs);
      this.operation = operation;
      this.name = name;
      this.before = nth - 1;
    }

    private void maybeDie(String op, Path onto) throws IOException {
      if (op.equals(operation) && onto.getName().equals(name) && before-- <= 0) {
        throw new IOException("killed before the " + op + " onto " + name);
      }
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
      maybeDie("rename", dst);
      return super.rename(src, dst);
    }

    @Override
    public boolean delete(Path f, boolean recursive) throws IOException {
      maybeDie("delete", f);
      return super.delete(f, recursive);
    }
  }

  @Test
  void aKillBeforeTheNewFileIsInPlaceLeavesTheOldOne() throws Exception {
    HadoopFiles.replace(local, target, out -> out.write(bytes("old\n")));
    FileSystem dying = new KilledAt(local, "rename", "results.jsonl", 1);
    assertThrows(IOException.class, () -> HadoopFiles.replace(dying, target, out -> out.write(bytes("new\n"))));

    HadoopFiles.recover(local, target);
    assertEquals("old\n", Files.readString(dir.resolve("results.jsonl")), "the kill lost nothing");
    assertEquals(List.of("results.jsonl"), names(), "and left nothing behind");
  }

  @Test
  void aKillAfterTheNewFileIsInPlaceKeepsTheNewOne() throws Exception {
    HadoopFiles.replace(local, target, out -> out.write(bytes("old\n")));
    // The previous version is deleted twice: stale leftovers before it is moved aside, and itself
    // once the new file is in place. Die at the second.
    FileSystem dying = new KilledAt(local, "delete", ".results.jsonl.previous", 2);
    assertThrows(IOException.class, () -> HadoopFiles.replace(dying, target, out -> out.write(bytes("new\n"))));

    assertFalse(HadoopFiles.recover(local, target), "the new file is in place: nothing to put back");
    assertEquals("new\n", Files.readString(dir.resolve("results.jsonl")));
    // The next replace clears the stale previous version.
    HadoopFiles.replace(new KilledAt(local, "none", "", 1), target, out -> out.write(bytes("newer\n")));
    assertEquals("newer\n", Files.readString(dir.resolve("results.jsonl")));
    assertEquals(List.of("results.jsonl"), names());
  }

  @Test
  void onTheLocalFileSystemAReplaceIsOneOverwritingRename() throws Exception {
    HadoopFiles.replace(local, target, out -> out.write(bytes("old\n")));
    HadoopFiles.replace(local, target, out -> out.write(bytes("new\n")));
    assertEquals("new\n", Files.readString(dir.resolve("results.jsonl")));
    assertEquals(List.of("results.jsonl"), names(), "no temporary or previous file");
  }

  @Test
  void aFailedWriteLeavesTheTargetAsItWas() throws Exception {
    HadoopFiles.replace(local, target, out -> out.write(bytes("old\n")));
    assertThrows(IOException.class, () -> HadoopFiles.replace(local, target, out -> {
      out.write(bytes("half"));
      throw new IOException("disk full");
    }));
    assertEquals("old\n", Files.readString(dir.resolve("results.jsonl")));
    assertEquals(List.of("results.jsonl"), names());
  }

  @Test
  void appendAddsToTheEndAndCreatesTheFile() throws Exception {
    assertTrue(HadoopFiles.append(local, target, bytes("a\n")));
    assertTrue(HadoopFiles.append(local, target, bytes("b\n")));
    assertEquals("a\nb\n", Files.readString(dir.resolve("results.jsonl")));
  }

  private List<String> names() throws IOException {
    try (Stream<java.nio.file.Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
