package org.depprune.layers;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LocallyConnected1D;
import org.deeplearning4j.nn.conf.layers.LocallyConnected2D;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Locally connected layers (SameDiff layers): a separate filter bank per output position. Weights
 * {@code [positions, nIn * k, nOut]}, where the middle axis is each input patch flattened
 * channel-major (channel {@code c} owns the {@code k} consecutive rows {@code c*k ... c*k+k-1},
 * {@code k} the kernel's area); bias {@code [1, nOut]}. The layer also stores
 * {@code featureDim = nIn * k}, which is resized with {@code nIn}, and caches its parameter shapes,
 * which are reset. MACs: positions x filters x
 * patch size, {@code P C' C k}.
 */
abstract sealed class LocallyConnectedPruner<T extends AbstractSameDiffLayer> implements LayerPruner<T> {
  private final Class<T> type;

  private LocallyConnectedPruner(Class<T> type) {
    this.type = type;
  }

  abstract long nIn(T config);

  abstract long nOut(T config);

  /** The kernel's area: the rows each input channel owns in a patch. */
  abstract int kernelArea(T config);

  /** Output positions, from the stored output size. */
  abstract long positions(T config);

  abstract void setWidths(T config, int nIn, int nOut);

  @Override
  public Class<T> type() {
    return type;
  }

  @Override
  public int[] connect(T config, List<int[]> inputSlots, Slots slots) {
    int[] in = Widths.single(inputSlots, type.getSimpleName());
    Widths.expect(nIn(config), in, type.getSimpleName() + " with nIn=" + nIn(config));
    return slots.fresh(Math.toIntExact(nOut(config)));
  }

  @Override
  public Map<String, Integer> outAxes(T config) {
    return Map.of(ConvolutionParamInitializer.WEIGHT_KEY, 2, ConvolutionParamInitializer.BIAS_KEY, -1);
  }

  @Override
  public void resize(T config, List<int[]> keepIn, int[] keepOut) {
    setWidths(config, keepIn.get(0).length, keepOut.length);
    // A SameDiff layer caches its parameter shapes; a clone shares the old ones until reset.
    ((AbstractSameDiffLayer) config).setLayerParams(null);
  }

  @Override
  public Map<String, INDArray> slice(T config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    Map<String, INDArray> sliced = FeedForwardPruner.ordered();
    INDArray w = params.get(ConvolutionParamInitializer.WEIGHT_KEY);
    int k = kernelArea(config);
    long nIn = nIn(config);
    if (w.size(1) != nIn * k) {
      throw new IllegalStateException(type.getSimpleName() + " weights " + java.util.Arrays.toString(w.shape())
          + " do not hold nIn=" + nIn + " x kernel area " + k + " rows per position");
    }
    INDArray patches = w.dup('c').reshape('c', w.size(0), nIn, k, w.size(2));
    INDArray kept = Slicing.keep(Slicing.keep(patches, 3, keepOut), 1, keepIn.get(0));
    sliced.put(ConvolutionParamInitializer.WEIGHT_KEY,
        kept.reshape('c', w.size(0), (long) keepIn.get(0).length * k, keepOut.length));
    INDArray b = params.get(ConvolutionParamInitializer.BIAS_KEY);
    if (b != null) {
      sliced.put(ConvolutionParamInitializer.BIAS_KEY, Slicing.keepLast(b, keepOut));
    }
    return sliced;
  }

  @Override
  public Cost cost(T config, List<InputType> in, InputType out) {
    return Cost.macs(positions(config) * nOut(config) * nIn(config) * kernelArea(config));
  }

  /** {@code LocallyConnected2D}: kernel area {@code kH * kW}. */
  static final class TwoD extends LocallyConnectedPruner<LocallyConnected2D> {
    TwoD() {
      super(LocallyConnected2D.class);
    }

    @Override
    long nIn(LocallyConnected2D config) {
      return config.getNIn();
    }

    @Override
    long nOut(LocallyConnected2D config) {
      return config.getNOut();
    }

    @Override
    int kernelArea(LocallyConnected2D config) {
      return config.getKernel()[0] * config.getKernel()[1];
    }

    @Override
    long positions(LocallyConnected2D config) {
      int[] size = config.getOutputSize();
      return size == null ? 0 : (long) size[0] * size[1];
    }

    @Override
    void setWidths(LocallyConnected2D config, int nIn, int nOut) {
      config.setNIn(nIn);
      config.setNOut(nOut);
      config.setFeatureDim(nIn * kernelArea(config));
    }
  }

  /** {@code LocallyConnected1D}: kernel area {@code k}. */
  static final class OneD extends LocallyConnectedPruner<LocallyConnected1D> {
    OneD() {
      super(LocallyConnected1D.class);
    }

    @Override
    long nIn(LocallyConnected1D config) {
      return config.getNIn();
    }

    @Override
    long nOut(LocallyConnected1D config) {
      return config.getNOut();
    }

    @Override
    int kernelArea(LocallyConnected1D config) {
      return config.getKernel();
    }

    @Override
    long positions(LocallyConnected1D config) {
      return config.getOutputSize();
    }

    @Override
    void setWidths(LocallyConnected1D config, int nIn, int nOut) {
      config.setNIn(nIn);
      config.setNOut(nOut);
      config.setFeatureDim(nIn * kernelArea(config));
    }
  }
}
