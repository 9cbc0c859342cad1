package org.nd4j.nativeblas;

/**
 * A bridge for a class name that DL4J 1.0.0-M2.1 still looks up but ND4J 1.0.0-M2.1 no longer has.
 *
 * <p>{@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()} decides whether
 * DL4J's oneDNN layer helpers may run by loading {@code org.nd4j.nativeblas.Nd4jCpu$Environment}
 * by name and calling {@code getInstance().isUseMKLDNN()}. ND4J M2.1 moved that class to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment} and renamed the method
 * {@code isUseONEDNN()}, so without this class the check fails and no helper ever loads, whatever
 * the native library. Only that check uses it; see {@link org.depprune.backend.CpuEngines}.
 */
public final class Nd4jCpu {
  private Nd4jCpu() {}

  /** The two members DL4J's check calls, forwarded to ND4J's renamed ones. */
  public static final class Environment {
    private static final Environment INSTANCE = new Environment();

    private Environment() {}

    public static Environment getInstance() {
      return INSTANCE;
    }

    /** Whether libnd4j runs its oneDNN implementations ({@code isUseONEDNN()} in ND4J M2.1). */
    public boolean isUseMKLDNN() {
      return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
    }
  }
}
