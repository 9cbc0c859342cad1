package org.depprune.layers;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;

/**
 * Layers with their own {@code nIn} and {@code nOut} whose OUT channels are new (a conv's filters,
 * a dense layer's units). Subclasses say how their weights are laid out.
 */
abstract class FeedForwardPruner<T extends FeedForwardLayer> implements LayerPruner<T> {
  private final Class<T> type;

  FeedForwardPruner(Class<T> type) {
    this.type = type;
  }

  @Override
  public Class<T> type() {
    return type;
  }

  @Override
  public int[] connect(T config, List<int[]> inputSlots, Slots slots) {
    int[] in = Widths.single(inputSlots, type.getSimpleName());
    Widths.expect(config.getNIn(), in, type.getSimpleName() + " with nIn=" + config.getNIn());
    return slots.fresh(Math.toIntExact(config.getNOut()));
  }

  @Override
  public void resize(T config, List<int[]> keepIn, int[] keepOut) {
    config.setNIn(keepIn.get(0).length);
    config.setNOut(keepOut.length);
  }

  /** Parameter maps keep DL4J's key order (the order of the flattened parameter vector). */
  static Map<String, org.nd4j.linalg.api.ndarray.INDArray> ordered() {
    return new java.util.LinkedHashMap<>();
  }
}
