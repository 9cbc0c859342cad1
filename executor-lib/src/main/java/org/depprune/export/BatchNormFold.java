package org.depprune.export;

import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Folding an inference-mode batch norm into the layer before it. Batch norm computes
 * {@code y = gamma (x - mean) / sqrt(var + eps) + beta} per channel; with {@code s = gamma /
 * sqrt(var + eps)}, a convolution or dense layer {@code x = W u + b} followed by it is the same
 * layer with {@code W' = s W} (per output channel) and {@code b' = s (b - mean) + beta}.
 */
final class BatchNormFold {
  private BatchNormFold() {}

  /** Whether {@code producer} followed by {@code bn} can be folded into one layer. */
  static boolean foldable(Layer producer, Layer bn) {
    if (!(bn instanceof BatchNormalization)) {
      return false;
    }
    boolean linear = producer instanceof FeedForwardLayer ff && ff.getActivationFn() instanceof ActivationIdentity;
    if (producer.getClass() == ConvolutionLayer.class) {
      return linear && ((ConvolutionLayer) producer).getCnn2dDataFormat() == ((BatchNormalization) bn).getCnn2DFormat();
    }
    return linear && producer.getClass() == DenseLayer.class;
  }

  /**
   * The producer's configuration after folding: it gains a bias and keeps its identity
   * activation. DL4J 1.0.0-M2.1's batch norm layer never applies the activation its
   * configuration holds (it inherits the network's default, often sigmoid; a test compares
   * outputs), so there is none to move.
   */
  static void foldConfig(FeedForwardLayer producer, BatchNormalization bn) {
    if (producer instanceof ConvolutionLayer conv) {
      conv.setHasBias(true);
    } else {
      ((DenseLayer) producer).setHasBias(true);
    }
  }

  /**
   * The folded producer's parameters {@code W} and {@code b}.
   *
   * @param producer the original producer's configuration
   * @param params the original producer's parameters ({@code b} may be absent)
   * @param bnConfig the batch norm's configuration
   * @param bnParams the batch norm's parameters
   */
  static Map<String, INDArray> foldParams(
      Layer producer, Map<String, INDArray> params, BatchNormalization bnConfig, Map<String, INDArray> bnParams) {
    INDArray w = params.get("W");
    boolean conv = producer instanceof ConvolutionLayer;
    int channels = Math.toIntExact(conv ? w.size(0) : w.size(1));
    double[] mean = vector(bnParams.get("mean"));
    double[] std = new double[channels];
    double[] stored = vector(bnParams.get(bnConfig.isUseLogStd() ? "log10stdev" : "var"));
    for (int c = 0; c < channels; c++) {
      // DL4J keeps the variance, or log10 of the standard deviation; eps is added at inference.
      double variance = bnConfig.isUseLogStd() ? Math.pow(10, 2 * stored[c]) : stored[c];
      std[c] = Math.sqrt(variance + bnConfig.getEps());
    }
    double[] gamma = bnConfig.isLockGammaBeta() ? filled(channels, bnConfig.getGamma()) : vector(bnParams.get("gamma"));
    double[] beta = bnConfig.isLockGammaBeta() ? filled(channels, bnConfig.getBeta()) : vector(bnParams.get("beta"));
    double[] bias = params.containsKey("b") ? vector(params.get("b")) : new double[channels];
    double[] scale = new double[channels];
    double[] folded = new double[channels];
    for (int c = 0; c < channels; c++) {
      scale[c] = gamma[c] / std[c];
      folded[c] = scale[c] * (bias[c] - mean[c]) + beta[c];
    }
    // Scale every output channel (axis 0 of a convolution's [nOut, nIn, kH, kW], axis 1 of a
    // dense layer's [nIn, nOut]) in double precision, rounding once to the weights' type.
    INDArray foldedW = w.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup(w.ordering());
    Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp(
        foldedW, Nd4j.createFromArray(scale), foldedW, conv ? 0 : 1));
    foldedW = foldedW.castTo(w.dataType());
    return Map.of("W", foldedW, "b", Nd4j.createFromArray(folded).castTo(w.dataType()));
  }

  private static double[] vector(INDArray values) {
    return values.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).reshape(values.length()).toDoubleVector();
  }

  private static double[] filled(int n, double value) {
    double[] out = new double[n];
    java.util.Arrays.fill(out, value);
    return out;
  }
}
