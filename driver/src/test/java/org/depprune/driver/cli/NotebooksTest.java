package org.depprune.driver.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner behind the notebook and report tests. */
class NotebooksTest {
  @TempDir Path dir;

  @Test
  void aCommandThatOutlivesItsTimeoutIsKilledAndFails() {
    var e = assertThrows(IOException.class,
        () -> Notebooks.run(List.of("sleep", "20"), Map.of(), dir, Duration.ofSeconds(1)));
    assertTrue(e.getMessage().startsWith("timed out after 1 s: [sleep, 20]"), e.getMessage());
  }

  @Test
  void aFailingCommandFailsWithItsOutput() {
    var e = assertThrows(AssertionError.class,
        () -> Notebooks.run(List.of("sh", "-c", "echo broken cell; exit 3"), Map.of(), dir, Duration.ofSeconds(30)));
    assertTrue(e.getMessage().contains("failed (exit 3)"), e.getMessage());
    assertTrue(e.getMessage().contains("broken cell"), e.getMessage());
  }
}
