package org.depprune.driver.cli;

import org.depprune.backend.CpuEngine;
import org.depprune.backend.CpuEngines;
import picocli.CommandLine.Option;

/** {@code --engine}: the CPU engine of a command that trains or times a network. */
final class EngineOption {
  @Option(
      names = "--engine",
      paramLabel = "ENGINE",
      description = "onednn (ND4J's oneDNN build and DL4J's oneDNN layer helpers) or plain (DL4J's own"
          + " im2col convolutions, as before) (default: ${DEFAULT-VALUE}).")
  String engine = CpuEngine.ONEDNN.id();

  /** Puts the engine in effect; call before the command touches ND4J. */
  CpuEngine select() {
    return CpuEngines.select(CpuEngine.parse(engine));
  }
}
