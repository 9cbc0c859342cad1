package org.depprune.backend;

import java.util.Locale;

/** The code that runs convolutions, batch norm and pooling on the CPU. */
public enum CpuEngine {
  /**
   * oneDNN: ND4J's {@code linux-x86_64-onednn-avx2} native library, libnd4j's oneDNN platform
   * implementations, and DL4J's MKLDNN layer helpers (convolution, batch norm, pooling, LRN).
   */
  ONEDNN,
  /**
   * ND4J's default native library and DL4J's own layer code (im2col and gemm for convolutions):
   * what DepPrune ran before oneDNN was switched on.
   */
  PLAIN;

  /** The name used in configs and on the command line: {@code onednn} or {@code plain}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@link #id()}; the error names the value and the accepted ones. */
  public static CpuEngine parse(String id) {
    for (CpuEngine e : values()) {
      if (e.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown engine '" + id + "': use onednn or plain");
  }
}
