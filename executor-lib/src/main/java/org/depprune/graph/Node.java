package org.depprune.graph;

import java.util.List;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.depprune.network.Network;

/**
 * A layer, vertex or network input of a DL4J network, with the slots of its channels.
 *
 * @param name the layer or vertex name (for a MultiLayerNetwork: the layer's name, or its index)
 * @param kind what the node is
 * @param config the DL4J configuration object: a {@code Layer} for layers, a {@code GraphVertex}
 *     for vertices, {@code null} for network inputs
 * @param inputs the names of the nodes that feed it, in order
 * @param preProcessor the input preprocessor DL4J applies before a layer, or {@code null}
 * @param inSlots per input, the slot of every IN channel (after the preprocessor)
 * @param outSlots the slot of every OUT channel
 * @param innerSlots the slot of every INNER channel (an attention layer's heads); empty for most
 */
public record Node(
    String name,
    Network.Kind kind,
    Object config,
    List<String> inputs,
    InputPreProcessor preProcessor,
    List<int[]> inSlots,
    int[] outSlots,
    int[] innerSlots) {

  public Node {
    inputs = List.copyOf(inputs);
    inSlots = List.copyOf(inSlots);
    innerSlots = innerSlots == null ? new int[0] : innerSlots;
  }

  /** The slots of {@code side}'s positions (IN: over all inputs, in order), or null if unknown. */
  int[] slots(Side side) {
    return switch (side) {
      case IN -> inSlots.stream().flatMapToInt(java.util.Arrays::stream).toArray();
      case OUT -> outSlots;
      case INNER -> innerSlots;
    };
  }

  /** The number of OUT channels. */
  public int outChannels() {
    return outSlots.length;
  }

  /** A short description: the name and the config's type. */
  public String describe() {
    return "'" + name + "' (" + (config == null ? "network input" : config.getClass().getSimpleName()) + ")";
  }
}
