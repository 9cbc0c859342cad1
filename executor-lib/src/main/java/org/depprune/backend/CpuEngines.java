package org.depprune.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.depprune.network.Network;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Selects the {@link CpuEngine} of this JVM.
 *
 * <p>DL4J 1.0.0-M2.1 never uses oneDNN out of the box; three things block it, and
 * {@link #select} clears all three (BENCHMARKS.md, "oneDNN on CPU"):
 *
 * <ol>
 *   <li>ND4J's default {@code linux-x86_64} library is built without oneDNN. DepPrune also ships
 *       the {@code linux-x86_64-onednn-avx2} one; JavaCPP loads the first library its
 *       {@code org.bytedeco.javacpp.platform.extension} list finds, which is the oneDNN one when
 *       both are on the class path. An empty extension loads the default library.
 *   <li>DL4J creates layer helpers only when the system property
 *       {@code org.eclipse.deeplearning4j.helpers.disable} is {@code false} (default
 *       {@code true}); it reads it when a layer is created, so networks built before
 *       {@code select} keep what they had.
 *   <li>DL4J's check that oneDNN is on looks up a class ND4J renamed; the small class
 *       {@link org.nd4j.nativeblas.Nd4jCpu} answers it.
 * </ol>
 *
 * <p>DL4J M2.1's oneDNN helper of channels-last convolutions computes wrong gradients;
 * {@link #guard} switches a JVM that loads such a model to {@link CpuEngine#PLAIN}.
 *
 * <p>The library is chosen once per JVM, when ND4J first loads: call {@code select} before
 * anything touches ND4J. Later calls (each Spark task makes one) switch the helpers only.
 * {@link CpuEngine#PLAIN} on a JVM that already holds the oneDNN library also turns off
 * libnd4j's own oneDNN code, so it runs DL4J's plain layer code either way.
 */
public final class CpuEngines {
  /** JavaCPP's choice of native-library variant: empty for ND4J's default build. */
  public static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";
  /** DL4J's switch for its layer helpers: {@code false} turns them on. */
  public static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";

  private static final Logger LOG = LoggerFactory.getLogger(CpuEngines.class);
  private static final Pattern AVX2 = Pattern.compile("(?m)^flags\\s*:.*\\bavx2\\b");

  private static CpuEngine current;
  private static Boolean libraryHasOneDnn;

  private CpuEngines() {}

  /**
   * Makes {@code wanted} this JVM's engine as far as it can and returns the engine in effect:
   * {@link CpuEngine#PLAIN} when oneDNN was wanted but the loaded library lacks it (the log says
   * why).
   */
  public static synchronized CpuEngine select(CpuEngine wanted) {
    if (current == null && System.getProperty(PLATFORM_EXTENSION) == null) {
      if (wanted == CpuEngine.PLAIN) {
        System.setProperty(PLATFORM_EXTENSION, "");
      } else if (!cpuHasAvx2()) {
        LOG.warn("this CPU lacks AVX2, which ND4J's oneDNN library needs: loading ND4J's default library");
        System.setProperty(PLATFORM_EXTENSION, "");
      }
    }
    boolean onednn = wanted == CpuEngine.ONEDNN && libraryHasOneDnn();
    var env = org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance();
    env.setUseONEDNN(onednn);
    System.setProperty(HELPERS_DISABLE, Boolean.toString(!onednn));
    if (wanted == CpuEngine.ONEDNN && !onednn) {
      LOG.warn("engine onednn asked for, but ND4J's loaded native library has no oneDNN ({}): running plain",
          buildInfo());
    } else if (onednn && !BaseMKLDNNHelper.mklDnnEnabled()) {
      // DL4J caches a failed check for the life of the JVM.
      LOG.warn("DL4J's oneDNN check failed (org.nd4j.nativeblas.Nd4jCpu$Environment not usable):"
          + " its layer helpers stay off, libnd4j's oneDNN operations still run");
    }
    CpuEngine effective = onednn ? CpuEngine.ONEDNN : CpuEngine.PLAIN;
    if (effective != current) {
      LOG.info("CPU engine: {} (asked for {})", effective.id(), wanted.id());
    }
    current = effective;
    return effective;
  }

  /**
   * {@code net}, safe to train under the engine in effect: where oneDNN is on and {@code net} has
   * a layer whose oneDNN helper DL4J M2.1 gets wrong ({@link #helperDefects}), switches this JVM to
   * {@link CpuEngine#PLAIN} (the log names the layers) and returns a copy of {@code net} built
   * without helpers; else {@code net} itself. Call it on every model a job loads, before training
   * or scoring it.
   */
  public static synchronized Model guard(Model net) {
    List<String> defects = helperDefects(net);
    if (current != CpuEngine.ONEDNN || defects.isEmpty()) {
      return net;
    }
    LOG.warn("DL4J 1.0.0-M2.1's oneDNN convolution helper computes wrong weight and bias gradients for"
        + " channels-last (NHWC) convolutions, which this model has ({}): running engine plain", defects);
    select(CpuEngine.PLAIN);
    return Network.of(net).copy();
  }

  /**
   * The layers of {@code net} whose DL4J oneDNN helper is wrong in DL4J 1.0.0-M2.1: channels-last
   * 2D convolutions (and their subclasses), whose helper's backward pass returns wrong weight and
   * bias gradients (EngineGradientTest; the forward pass is right). Channels-first convolutions,
   * pooling and batch norm in either format agree with DL4J's own code.
   */
  public static List<String> helperDefects(Model net) {
    return Network.of(net).vertices().stream()
        .filter(v -> v.config() instanceof ConvolutionLayer conv && conv.getCnn2dDataFormat() == CNN2DFormat.NHWC)
        .map(Network.Vertex::name)
        .toList();
  }

  /** The engine the last {@link #select} put in effect; null before the first. */
  public static synchronized CpuEngine current() {
    return current;
  }

  /**
   * Whether the ND4J native library of this JVM (loading it if needed) was built with oneDNN.
   * Asked once: a JVM loads one library, and every Spark task's {@link #select} asks again.
   */
  public static synchronized boolean libraryHasOneDnn() {
    if (libraryHasOneDnn == null) {
      libraryHasOneDnn = buildInfo().contains("HAVE_ONEDNN");
    }
    return libraryHasOneDnn;
  }

  /** libnd4j's build description, one line (compiler, {@code HAVE_ONEDNN}, {@code HAVE_OPENBLAS}). */
  public static String buildInfo() {
    Nd4j.getBackend();
    return NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().replace('\n', ' ').trim();
  }

  /** Whether {@code /proc/cpuinfo} lists AVX2; true where it cannot be read (not Linux). */
  static boolean cpuHasAvx2() {
    try {
      return AVX2.matcher(Files.readString(Path.of("/proc/cpuinfo"))).find();
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }
}
