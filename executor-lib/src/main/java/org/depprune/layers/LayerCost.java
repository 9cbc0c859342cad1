package org.depprune.layers;

import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * The MACs rule of one DL4J layer or vertex type: what one example's forward pass costs, from
 * the configuration and the activation types around it. Every {@link LayerPruner} is one; a type
 * that is counted but never pruned (a frozen wrapper) registers only this, with
 * {@link PrunerRegistry#registerCost}.
 *
 * @param <T> the DL4J configuration class
 */
@FunctionalInterface
public interface LayerCost<T> {
  /**
   * @param in the type of each input, after the layer's preprocessor
   * @param out the type of the node's output
   */
  Cost cost(T config, List<InputType> in, InputType out);
}
