package org.depprune.driver.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Debian tools the notebook and report tests need: {@code jupyter-nbconvert} (executes a
 * notebook headless, failing if a cell fails) and headless {@code chromium}. {@code bin/test}
 * installs both where they are missing.
 */
final class Notebooks {
  static final Path NOTEBOOKS = Path.of("../notebooks").toAbsolutePath().normalize();

  private Notebooks() {}

  static void execute(String notebook, Path outputDir, Map<String, String> env) throws Exception {
    run(List.of(require("/usr/bin/jupyter-nbconvert", "jupyter-nbconvert python3-ipykernel python3-pandas python3-matplotlib"),
        "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=300",
        "--output-dir", outputDir.toString(), NOTEBOOKS.resolve(notebook).toString()), env, NOTEBOOKS);
  }

  static void screenshot(Path html, Path png) throws Exception {
    run(List.of(require("/usr/bin/chromium", "chromium"), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--hide-scrollbars", "--window-size=1000,1400",
        "--screenshot=" + png, html.toUri().toString()), Map.of(), html.getParent());
    if (!Files.isRegularFile(png)) {
      throw new AssertionError("chromium wrote no screenshot of " + html);
    }
  }

  private static String require(String tool, String packages) {
    if (!Files.isExecutable(Path.of(tool))) {
      throw new AssertionError(tool + " is missing: run bin/test (it installs what the tests need) or"
          + " apt-get install -y --no-install-recommends " + packages);
    }
    return tool;
  }

  private static void run(List<String> command, Map<String, String> env, Path workDir) throws Exception {
    run(command, env, workDir, java.time.Duration.ofMinutes(10));
  }

  /** Runs {@code command}; fails on a non-zero exit, and kills it (failing) after {@code timeout}. */
  static void run(List<String> command, Map<String, String> env, Path workDir, java.time.Duration timeout)
      throws Exception {
    // The output goes to a file, not a pipe: reading a pipe to its end would wait for the process
    // to exit, so the timeout could never fire.
    Path log = Files.createTempFile("depprune-command", ".log");
    try {
      ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(workDir.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(env);
      pb.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor();
        throw new IOException("timed out after " + timeout.toSeconds() + " s: " + command + "\n" + Files.readString(log));
      }
      String output = Files.readString(log);
      if (p.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + output);
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
