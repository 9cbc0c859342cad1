package org.depprune.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.depprune.layers.Cost;
import org.depprune.layers.LayerCost;
import org.depprune.layers.PrunerRegistry;
import org.depprune.network.Network;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Counts the MACs of one example's forward pass from a network's configuration and input type.
 * Each layer and vertex is counted by the MACs rule its type registers (its {@code LayerPruner},
 * or a cost rule in the same {@link PrunerRegistry}): convolution {@code H'W' C' C k_h k_w},
 * transposed convolution {@code H W C C' k_h k_w}, depthwise {@code H'W' C m k_h k_w}, separable
 * depthwise plus pointwise, 1D convolution {@code L' C' C k}, dense {@code n_in n_out} (per time
 * step on sequences), LSTM {@code T 4 n (n_in + n)}, SimpleRnn {@code T n (n_in + n)}; embeddings
 * are lookups (0). Batch norm (one per element), pooling (one per window element) and
 * element-wise vertices (one per element per extra input) are reported apart as other operations.
 *
 * <p>A node whose type has no rule counts nothing when it has no parameters (an activation-like
 * custom layer) and is an error when it has some: a weighted layer must not silently cost zero.
 */
public final class MacCounter {
  private MacCounter() {}

  /** The cost of {@code net} on one example of {@code inputTypes}, with DepPrune's rules. */
  public static MacReport count(Model net, InputType... inputTypes) {
    return count(net, PrunerRegistry.defaults(), inputTypes);
  }

  /** The cost of {@code net} with the rules of {@code registry} (yours for custom layers). */
  public static MacReport count(Model model, PrunerRegistry registry, InputType... inputTypes) {
    Network net = Network.of(model);
    Map<String, InputType> types = net.activationTypes(inputTypes);
    Map<String, Long> perLayer = new LinkedHashMap<>();
    long other = 0;
    for (Network.Vertex vertex : net.vertices()) {
      if (vertex.kind() == Network.Kind.INPUT) {
        continue;
      }
      List<InputType> in = new ArrayList<>();
      for (String input : vertex.inputs()) {
        InputType type = types.get(input);
        in.add(vertex.preProcessor() == null ? type : vertex.preProcessor().getOutputType(type));
      }
      Cost cost = cost(registry, vertex, in, types.get(vertex.name()));
      if (cost.macs() > 0) {
        perLayer.put(vertex.name(), cost.macs());
      }
      other += cost.otherOps();
    }
    long macs = perLayer.values().stream().mapToLong(Long::longValue).sum();
    return new MacReport(macs, other, net.numParams(), perLayer);
  }

  private static <T> Cost cost(PrunerRegistry registry, Network.Vertex vertex, List<InputType> in, InputType out) {
    @SuppressWarnings("unchecked")
    T config = (T) vertex.config();
    LayerCost<T> rule = registry.cost(config).orElse(null);
    if (rule != null) {
      try {
        return rule.cost(config, in, out);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("cannot count the MACs of '" + vertex.name() + "': " + e.getMessage(), e);
      }
    }
    if (numParams(config) > 0) {
      String type = config.getClass().getSimpleName();
      throw new IllegalArgumentException("layer '" + vertex.name() + "' of type " + type + " has parameters but no"
          + " MACs rule, so its cost is unknown; register a LayerPruner<" + type + "> (its cost method) or a rule"
          + " with PrunerRegistry.registerCost(" + type + ".class, ...) and count with"
          + " MacCounter.count(net, registry, inputTypes)");
    }
    return Cost.NONE;
  }

  private static long numParams(Object config) {
    if (config instanceof Layer layer) {
      return layer.initializer().numParams(new NeuralNetConfiguration.Builder().layer(layer).build());
    }
    return config instanceof GraphVertex vertex ? vertex.numParams(true) : 0;
  }
}
