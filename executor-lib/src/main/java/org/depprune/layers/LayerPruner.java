package org.depprune.layers;

import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  /**
   * Gives the node's INNER channels their slots: channels that live inside the node only, on
   * neither its IN nor its OUT side (an attention layer's heads). Each is a group of its own,
   * rooted at this node. None by default.
   */
  default int[] inner(T config, Slots slots) {
    return new int[0];
  }

  /**
   * For each parameter key, where the INNER channels lie (for importance criteria). Empty by
   * default.
   */
  default Map<String, InnerAxis> innerAxes(T config) {
    return Map.of();
  }

  /**
   * Why this particular configuration cannot be pruned (a setting under which no exact channel
   * mapping exists), or empty. The graph then treats the node like an unsupported layer: every
   * channel it touches is blocked with this reason.
   */
  default Optional<String> refusal(T config) {
    return Optional.empty();
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
   * {@link #resize(Object, List, int[])} for a node that may also lose INNER channels.
   *
   * @param keepInner the INNER positions that survive, ascending (all of them for a node without
   *     INNER channels)
   */
  default void resize(T config, List<int[]> keepIn, int[] keepOut, int[] keepInner) {
    resize(config, keepIn, keepOut);
  }

  /**
   * The parameters of the pruned node: {@code params} (the original's, by DL4J parameter key)
   * with the removed IN and OUT positions cut out. Types without parameters return an empty map.
   */
  Map<String, INDArray> slice(T config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut);

  /** {@link #slice(Object, Map, List, int[])} with the INNER positions that survive, ascending. */
  default Map<String, INDArray> slice(
      T config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut, int[] keepInner) {
    return slice(config, params, keepIn, keepOut);
  }
}
