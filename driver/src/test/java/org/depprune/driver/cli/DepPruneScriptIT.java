package org.depprune.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/depprune} itself, on this build's classpath ({@code DEPPRUNE_CLASSPATH}): it installs
 * Debian's data set only for a search that reads it.
 */
class DepPruneScriptIT {
  private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();

  /** What bin/depprune says when it asks for the data set (the stand-in's directory is missing). */
  private static final String MISSING = "bash is installed but";

  @TempDir Path dir;

  @Test
  void aSearchWhoseDataIsElsewhereInstallsNoDataSet() throws Exception {
    Path config = Files.writeString(dir.resolve("elsewhere.conf"),
        "search { data = \"" + dir.resolve("my-data") + "\" }\n");
    for (List<String> args : List.of(
        List.of("search", "--set", "data=" + dir.resolve("my-data"), "--out", dir.resolve("a").toString()),
        List.of("search", "--set", "search.data=" + dir.resolve("my-data"), "--out", dir.resolve("b").toString()),
        List.of("search", "--config", config.toString(), "--out", dir.resolve("c").toString()),
        List.of("search", "--set", "data.format=parquet", "--set", "data.train=" + dir.resolve("my-data"),
            "--out", dir.resolve("e").toString()))) {
      String err = run(args);
      assertFalse(err.contains(MISSING), "the data set was not asked for: " + err);
      assertTrue(err.contains(dir.resolve("my-data").toString()) && err.contains("search.data.train"),
          args + ": " + err);
    }
  }

  @Test
  void aSearchOnTheDefaultDataNeedsTheDataSetPackage() throws Exception {
    String err = run(List.of("search", "--out", dir.resolve("d").toString()));
    assertTrue(err.contains(MISSING), "the default data needs the data set: " + err);
  }

  /**
   * Runs bin/depprune with a stand-in for Debian's data set: a package that is installed (bash)
   * whose data directory is missing, so that asking for the data set fails at once, without apt.
   * Returns its stderr.
   */
  private String run(List<String> args) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(List.of(PROJECT.resolve("bin/depprune").toString())))
        .directory(PROJECT.toFile());
    pb.command().addAll(args);
    pb.environment().put("DEPPRUNE_CLASSPATH", System.getProperty("java.class.path"));
    pb.environment().put("DEPPRUNE_DATA_PACKAGE", "bash");
    pb.environment().put("DEPPRUNE_DATA_DIR", dir.resolve("no-such-dir").toString());
    pb.environment().put("DEPPRUNE_XMX", "2g");
    Path err = dir.resolve("err.txt");
    pb.redirectError(err.toFile()).redirectOutput(dir.resolve("out.txt").toFile());
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("bin/depprune did not finish: " + Files.readString(err));
    }
    assertEquals(1, p.exitValue(), Files.readString(err));
    return Files.readString(err);
  }
}
