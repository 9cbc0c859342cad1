package org.depprune.layers;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What DepPrune knows about one DL4J layer or vertex type: how its OUT channels relate to its IN
 * channels, how to give it new channel counts, how to slice its parameters, and (as a
 * {@link LayerCost}) what it costs in MACs, so a type that prunes is always counted. One
 * implementation per type, looked up by exact class in a {@link PrunerRegistry}; register your
 * own for custom layers with {@link PrunerRegistry#register}.
 *
 * @param <T> the DL4J configuration class ({@code Layer} or {@code GraphVertex} subclass)
 */
public interface LayerPruner<T> extends LayerCost<T> {

  /** The exact configuration class this pruner handles. */
  Class<T> type();

  /**
   * Gives the node's OUT channels their slots, given its inputs' slots: fresh slots for channels
   * the node creates (a conv's filters), its input's slots for channels it passes through (batch
   * norm, activation, pooling), and joined slots where it couples inputs (an element-wise add).
   *
   * @throws IllegalArgumentException when the inputs' widths do not fit the configuration
   */
  int[] connect(T config, List<int[]> inputSlots, Slots slots);

  /**
   * For each parameter key, the axis indexed by OUT channels (a conv's filters, a dense layer's
   * units, a batch norm's channels), for magnitude criteria. Empty where no parameter is a plain
   * per-OUT-channel slice (recurrent gates, depthwise filters).
   */
  default Map<String, Integer> outAxes(T config) {
    return Map.of();
  }

  /**
   * For each parameter key, the axis indexed by IN channels (a conv's input channels, a dense
   * layer's input rows), for group criteria that score consumers too. Empty where none is.
   */
  default Map<String, Integer> inAxes(T config) {
    return Map.of();
  }

  /** Whether the node's own OUT channels may be removed (false for output layers' classes). */
  default boolean outPrunable(T config) {
    return true;
  }

  /**
   * Sets the channel counts of a cloned configuration after pruning.
   *
   * @param keepIn per input, the IN positions that survive, ascending
   * @param keepOut the OUT positions that survive, ascending
   */
  void resize(T config, List<int[]> keepIn, int[] keepOut);

  /**
   * The parameters of the pruned node: {@code params} (the original's, by DL4J parameter key)
   * with the removed IN and OUT positions cut out. Types without parameters return an empty map.
   */
  Map<String, INDArray> slice(T config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut);
}
