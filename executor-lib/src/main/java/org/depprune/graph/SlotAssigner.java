package org.depprune.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.depprune.layers.LayerPruner;
import org.depprune.layers.PreprocessorPruner;
import org.depprune.layers.PrunerRegistry;
import org.depprune.layers.Slots;
import org.depprune.layers.Unmappable;
import org.depprune.network.Network;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.preprocessor.Cnn3DToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.CnnToRnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.ComposableInputPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnn3DPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToCnnPreProcessor;
import org.deeplearning4j.preprocessors.KerasFlattenRnnPreprocessor;

/**
 * Walks a network in topological order and gives every channel of every node a slot: layers
 * that create channels get fresh slots, pass-through layers reuse their input's, vertices map
 * them (concat, subset) or join them (element-wise). Slots that must not be pruned are blocked
 * with the reason: network inputs and outputs, an output layer's classes, ignored layers, and
 * everything an unsupported layer or preprocessor touches.
 */
final class SlotAssigner {
  private final PrunerRegistry registry;
  private final Set<String> ignored;
  private final Map<String, InputType> inputTypes;
  private final Slots slots = new Slots();
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  /** Outputs whose width is not known until a consumer tells it, with the reason to block them. */
  private final Map<String, String> deferred = new HashMap<>();
  private final Map<Integer, String> blockedSlots = new HashMap<>();

  SlotAssigner(PrunerRegistry registry, Set<String> ignored, Map<String, InputType> inputTypes) {
    this.registry = registry;
    this.ignored = ignored;
    this.inputTypes = inputTypes;
  }

  Slots slots() {
    return slots;
  }

  Map<String, Node> nodes() {
    return nodes;
  }

  Map<Integer, String> blockedSlots() {
    return blockedSlots;
  }

  void assign(Network network) {
    for (Network.Vertex entry : network.vertices()) {
      if (entry.kind() == Network.Kind.INPUT) {
        addInput(entry);
      } else {
        addNode(entry);
      }
    }
    for (String output : network.outputs()) {
      Node node = nodes.get(output);
      if (node.outSlots() != null && !(node.config() instanceof BaseOutputLayer)) {
        block(node.outSlots(), "'" + output + "' is a network output: its width is the model's output width");
      }
    }
  }

  private void addInput(Network.Vertex entry) {
    String reason = "'" + entry.name() + "' is a network input: its channels are the data's";
    InputType type = inputTypes.get(entry.name());
    int[] out = null;
    if (type != null) {
      out = slots.fresh(width(type));
      block(out, reason);
    } else {
      deferred.put(entry.name(), reason);
    }
    nodes.put(entry.name(), new Node(entry.name(), Network.Kind.INPUT, null, List.of(), null, List.of(), out, null));
  }

  private void addNode(Network.Vertex entry) {
    Object config = entry.config();
    Optional<? extends LayerPruner<Object>> pruner = registry.layer(config);
    List<int[]> in = new ArrayList<>();
    for (String input : entry.inputs()) {
      if (pruner.isEmpty() && nodes.get(input).outSlots() == null && expectedWidth(entry) <= 0) {
        // Neither side is pruned and neither knows the width (a chain of refused SameDiff
        // layers, such as capsules): nothing to block here, the producer stays deferred.
        in.add(new int[0]);
        continue;
      }
      int[] producer = outputOf(input, entry);
      in.add(preprocess(entry, producer));
    }
    int[] out;
    Unmappable unmappable = null;
    out = null;
    int[] inner = null;
    if (pruner.isPresent()) {
      try {
        out = pruner.get().connect(config, in, slots);
        inner = pruner.get().inner(config, slots);
      } catch (Unmappable e) {
        unmappable = e;
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("node '" + entry.name() + "': " + e.getMessage(), e);
      }
      Optional<String> refused = out == null ? Optional.empty() : pruner.get().refusal(config);
      if (refused.isPresent()) {
        // A setting under which no exact mapping exists: like an unsupported layer, but its widths are known.
        String reason = "layer '" + entry.name() + "' of type " + config.getClass().getSimpleName()
            + " is not pruned: " + refused.get();
        in.forEach(slotsIn -> block(slotsIn, reason));
        block(out, reason);
        block(inner, reason);
      } else if (out != null && !pruner.get().outPrunable(config)) {
        block(out, unwrap(config) instanceof BaseOutputLayer
            ? "'" + entry.name() + "' is an output layer: its " + out.length + " outputs are the classes"
            : "'" + entry.name() + "' (" + config.getClass().getSimpleName() + ") keeps its " + out.length
                + " outputs: its LayerPruner prunes only its inputs");
      }
    }
    if (out == null) {
      String reason = unmappable != null
          ? "'" + entry.name() + "' (" + config.getClass().getSimpleName() + ") is not pruned: " + unmappable.getMessage()
          : unsupported(entry.name(), config, registry);
      in.forEach(slotsIn -> block(slotsIn, reason));
      long width = unmappable != null ? unmappable.outWidth()
          : unwrap(config) instanceof FeedForwardLayer ff ? ff.getNOut() : -1;
      if (width > 0) {
        out = slots.fresh(Math.toIntExact(width));
        block(out, reason);
      } else {
        deferred.put(entry.name(), reason);
      }
    }
    if (ignored.contains(entry.name())) {
      String reason = "'" + entry.name() + "' is in the ignored layers";
      if (out != null) {
        block(out, reason);
      }
      if (inner != null) {
        block(inner, reason);
      }
    }
    nodes.put(
        entry.name(),
        new Node(entry.name(), entry.kind(), config, entry.inputs(), entry.preProcessor(), in, out, inner));
  }

  /** The producer's OUT slots; a producer of unknown width takes the width its consumer expects. */
  private int[] outputOf(String producer, Network.Vertex consumer) {
    Node node = nodes.get(producer);
    if (node.outSlots() != null) {
      return node.outSlots();
    }
    long width = expectedWidth(consumer);
    if (width <= 0) {
      throw new IllegalArgumentException(
          "cannot tell how many channels " + node.describe() + " produces for '" + consumer.name()
              + "'; build the graph with input types: DepGraph.builder(net).optInputTypes(...)");
    }
    int[] out = slots.fresh(Math.toIntExact(width));
    block(out, deferred.get(producer));
    nodes.put(producer, new Node(node.name(), node.kind(), node.config(), node.inputs(), node.preProcessor(), node.inSlots(), out, node.innerSlots()));
    return out;
  }

  private int[] preprocess(Network.Vertex entry, int[] producer) {
    InputPreProcessor pre = entry.preProcessor();
    if (pre == null) {
      return producer;
    }
    Optional<? extends PreprocessorPruner<InputPreProcessor>> mapper = registry.preprocessor(pre);
    Optional<String> why = registry.refusal(pre.getClass());
    if (mapper.isPresent()) {
      try {
        return mapper.get().map(pre, producer, slots);
      } catch (Unmappable e) {
        why = Optional.of(e.getMessage());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "the " + pre.getClass().getSimpleName() + " before '" + entry.name() + "': " + e.getMessage(), e);
      }
    }
    String reason = why
        .map(because -> "the " + pre.getClass().getSimpleName() + " before '" + entry.name() + "' is not pruned: " + because)
        .orElse("the " + pre.getClass().getSimpleName() + " before '" + entry.name()
            + "' has no PreprocessorPruner: register one with PrunerRegistry.register");
    block(producer, reason);
    long width = entry.config() instanceof FeedForwardLayer ff ? ff.getNIn() : producer.length;
    int[] features = slots.fresh(Math.toIntExact(width));
    block(features, reason);
    return features;
  }

  private static long expectedWidth(Network.Vertex consumer) {
    if (consumer.preProcessor() != null) {
      return inputWidth(consumer.preProcessor());
    }
    if (consumer.config() instanceof PreprocessorVertex vertex) {
      return inputWidth(vertex.getPreProcessor());
    }
    if (reader(consumer.config()) instanceof FeedForwardLayer ff) {
      return ff.getNIn();
    }
    return -1;
  }

  /** The channels a preprocessor's input has, where its configuration tells; else -1. */
  private static long inputWidth(InputPreProcessor pre) {
    if (pre instanceof CnnToFeedForwardPreProcessor flatten) {
      return flatten.getNumChannels();
    }
    if (pre instanceof FeedForwardToCnnPreProcessor reshape) {
      return reshape.getNumChannels() * reshape.getInputHeight() * reshape.getInputWidth();
    }
    if (pre instanceof CnnToRnnPreProcessor p) {
      return p.getNumChannels();
    }
    if (pre instanceof RnnToCnnPreProcessor p) {
      return (long) p.getNumChannels() * p.getInputHeight() * p.getInputWidth();
    }
    if (pre instanceof Cnn3DToFeedForwardPreProcessor p) {
      return p.getNumChannels();
    }
    if (pre instanceof FeedForwardToCnn3DPreProcessor p) {
      return (long) p.getNumChannels() * p.getInputDepth() * p.getInputHeight() * p.getInputWidth();
    }
    if (pre instanceof KerasFlattenRnnPreprocessor p) {
      return p.getDepth();
    }
    if (pre instanceof ComposableInputPreProcessor c && c.getInputPreProcessors().length > 0) {
      return inputWidth(c.getInputPreProcessors()[0]);
    }
    return -1;
  }

  /** The layer that reads a consumer's input: through frozen, Bidirectional and other wrappers. */
  private static Object reader(Object config) {
    if (config instanceof Bidirectional bidirectional) {
      return reader(bidirectional.getFwd());
    }
    if (config instanceof BaseWrapperLayer wrapper) {
      return reader(wrapper.getUnderlying());
    }
    return config instanceof FrozenLayer frozen ? reader(frozen.getLayer()) : config;
  }

  /** The layer a frozen wrapper holds, or the config itself. */
  private static Object unwrap(Object config) {
    return config instanceof FrozenLayer frozen ? frozen.getLayer() : config;
  }

  private static int width(InputType type) {
    if (type instanceof InputType.InputTypeConvolutional conv) {
      return Math.toIntExact(conv.getChannels());
    }
    if (type instanceof InputType.InputTypeConvolutional3D conv3d) {
      return Math.toIntExact(conv3d.getChannels());
    }
    if (type instanceof InputType.InputTypeRecurrent rnn) {
      return Math.toIntExact(rnn.getSize());
    }
    return Math.toIntExact(type.arrayElementsPerExample());
  }

  private static String unsupported(String name, Object config, PrunerRegistry registry) {
    String type = config.getClass().getSimpleName();
    Optional<String> refused = registry.refusal(config.getClass());
    if (refused.isPresent()) {
      return "layer '" + name + "' of type " + type + " is not pruned: " + refused.get();
    }
    if (config instanceof FrozenLayer || config instanceof FrozenLayerWithBackprop) {
      return "layer '" + name + "' is frozen (" + type + "); frozen layers are not pruned unless you"
          + " register a LayerPruner for " + type + " with PrunerRegistry.register";
    }
    return "layer '" + name + "' of type " + type + " has no LayerPruner; implement LayerPruner<"
        + type + "> and add it with PrunerRegistry.register, then build the graph with"
        + " DepGraph.builder(net).optRegistry(registry)";
  }

  private void block(int[] blocked, String reason) {
    for (int slot : blocked) {
      blockedSlots.putIfAbsent(slot, reason);
    }
  }
}
