package org.depprune.layers;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.PrimaryCapsules;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code PrimaryCapsules} (a SameDiff layer): a convolution with weights
 * {@code [kH, kW, nIn, channels * capsuleDimensions]} and bias {@code [1, channels * capsuleDimensions]},
 * whose output is reshaped into {@code H'W' * channels} capsules and squashed. Only its IN channels
 * are pruned (the weights' axis 2): a capsule's dimensions share one squash, so removing one
 * changes the others, and the capsules it outputs are kept. MACs: every capsule's
 * {@code capsuleDimensions} filters over the {@code nIn kH kW} inputs of its position.
 */
final class PrimaryCapsulesPruner implements LayerPruner<PrimaryCapsules> {
  private static final String WEIGHT = "weight";
  private static final int IN_AXIS = 2;

  @Override
  public Class<PrimaryCapsules> type() {
    return PrimaryCapsules.class;
  }

  @Override
  public int[] connect(PrimaryCapsules config, List<int[]> inputSlots, Slots slots) {
    int[] in = Widths.single(inputSlots, "PrimaryCapsules");
    Widths.expect(config.getInputChannels(), in, "PrimaryCapsules with inputChannels=" + config.getInputChannels());
    return slots.fresh(config.getCapsules());
  }

  /** The capsules it outputs are kept; see the class comment. */
  @Override
  public boolean outPrunable(PrimaryCapsules config) {
    return false;
  }

  @Override
  public Map<String, Integer> inAxes(PrimaryCapsules config) {
    return Map.of(WEIGHT, IN_AXIS);
  }

  @Override
  public void resize(PrimaryCapsules config, List<int[]> keepIn, int[] keepOut) {
    config.setInputChannels(keepIn.get(0).length);
    config.setLayerParams(null); // cached parameter shapes, shared with the original by clone
  }

  @Override
  public Map<String, INDArray> slice(
      PrimaryCapsules config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    Map<String, INDArray> sliced = FeedForwardPruner.ordered();
    params.forEach((key, value) -> sliced.put(key, WEIGHT.equals(key) ? Slicing.keep(value, IN_AXIS, keepIn.get(0)) : value.dup()));
    return sliced;
  }

  @Override
  public Cost cost(PrimaryCapsules config, List<InputType> in, InputType out) {
    return Cost.macs((long) config.getCapsules() * config.getCapsuleDimensions() * config.getInputChannels()
        * config.getKernelSize()[0] * config.getKernelSize()[1]);
  }
}
