package org.depprune.layers;

import java.util.LinkedHashMap;
import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code BatchNormalization}: OUT channels are its IN channels; every parameter (gamma, beta, the
 * running mean, and the running variance or log-std, whichever the layer stores) is one value per
 * channel. The same holds after a 3D convolution, but DL4J 1.0.0-M2.1's batch-norm layer rejects
 * rank-5 input at run time ("Unable to process input of rank 5"), so no volume network has one.
 */
final class BatchNormPruner implements LayerPruner<BatchNormalization> {
  @Override
  public Class<BatchNormalization> type() {
    return BatchNormalization.class;
  }

  @Override
  public int[] connect(BatchNormalization config, List<int[]> inputSlots, Slots slots) {
    int[] in = Widths.single(inputSlots, "BatchNormalization");
    Widths.expect(config.getNOut(), in, "BatchNormalization with nOut=" + config.getNOut());
    return in;
  }

  @Override
  public void resize(BatchNormalization config, List<int[]> keepIn, int[] keepOut) {
    config.setNIn(keepOut.length);
    config.setNOut(keepOut.length);
  }

  /** Gamma and beta: Network Slimming scores channels by |gamma|. */
  @Override
  public Map<String, Integer> outAxes(BatchNormalization config) {
    return config.isLockGammaBeta() ? Map.of() : Map.of("gamma", -1, "beta", -1);
  }

  @Override
  public Map<String, INDArray> slice(
      BatchNormalization config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    Map<String, INDArray> sliced = new LinkedHashMap<>();
    params.forEach((key, value) -> sliced.put(key, Slicing.keepLast(value, keepOut)));
    return sliced;
  }

  /** One operation per element (a fused scale and shift), counted apart from MACs. */
  @Override
  public Cost cost(BatchNormalization config, List<InputType> in, InputType out) {
    return Cost.other(out.arrayElementsPerExample());
  }
}
