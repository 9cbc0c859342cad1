package org.depprune.layers;

import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.L2Vertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.graph.StackVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;

/** Vertices that reshape, stack or reduce activations: reshape, preprocessor, stack, L2. */
final class ShapeVertexPruners {
  private ShapeVertexPruners() {}

  /**
   * {@code ReshapeVertex}. Exact in two cases, read from the input's width: a flat input of the
   * same width (nothing moves), and a flat input of {@code C x rest} features into
   * {@code [N, C, rest...]}, where channel {@code c} gets features {@code c*rest ...} in 'c'
   * order or {@code c, c+C, ...} in 'f' order (those features are pruned as one channel).
   * Anything else may mix channels, and is refused with the reason.
   */
  static final class Reshape extends VertexPruners.NoParams<ReshapeVertex> {
    @Override
    public Class<ReshapeVertex> type() {
      return ReshapeVertex.class;
    }

    @Override
    public int[] connect(ReshapeVertex config, List<int[]> inputSlots, Slots slots) {
      int[] in = Widths.single(inputSlots, "ReshapeVertex");
      int[] shape = config.getNewShape();
      long rest = 1;
      for (int d = 2; d < shape.length; d++) {
        rest *= shape[d];
      }
      boolean order = config.getReshapeOrder() == 'c' || config.getReshapeOrder() == 'f';
      if (shape.length >= 2 && shape[1] > 0 && rest > 0 && order && in.length == shape[1] * rest) {
        if (shape.length == 2) {
          return in;
        }
        return Blocks.join(in, shape[1], Math.toIntExact(rest), config.getReshapeOrder() == 'c', slots, "ReshapeVertex");
      }
      throw new Unmappable(
          "it reshapes an input of " + in.length + " channels to " + Arrays.toString(shape) + " in '"
              + config.getReshapeOrder() + "' order, which can mix channels; only a flat input of"
              + " C x H x W features into [N, C, H, W] (or of the same width) maps exactly: reshape"
              + " a dense layer's output, or use a CnnToFeedForwardPreProcessor to flatten",
          shape.length >= 2 && shape[1] > 0 ? shape[1] : -1);
    }

    @Override
    public void resize(ReshapeVertex config, List<int[]> keepIn, int[] keepOut) {
      int[] shape = config.getNewShape().clone();
      shape[1] = keepOut.length;
      config.setNewShape(shape);
    }
  }

  /** {@code StackVertex}: inputs stacked along the batch, so their channels are coupled. */
  static final class Stack extends VertexPruners.NoParams<StackVertex> {
    @Override
    public Class<StackVertex> type() {
      return StackVertex.class;
    }

    @Override
    public int[] connect(StackVertex config, List<int[]> inputSlots, Slots slots) {
      return coupled(inputSlots, slots, "StackVertex");
    }

    @Override
    public void resize(StackVertex config, List<int[]> keepIn, int[] keepOut) {}
  }

  /**
   * {@code L2Vertex}: the distance between its two inputs, one value per example. The inputs'
   * channels are coupled element-wise (both lose the same channels); the output is one channel.
   */
  static final class L2 extends VertexPruners.NoParams<L2Vertex> {
    @Override
    public Class<L2Vertex> type() {
      return L2Vertex.class;
    }

    @Override
    public int[] connect(L2Vertex config, List<int[]> inputSlots, Slots slots) {
      if (inputSlots.size() != 2) {
        throw new IllegalArgumentException("L2Vertex takes two inputs, found " + inputSlots.size());
      }
      coupled(inputSlots, slots, "L2Vertex");
      return slots.fresh(1);
    }

    @Override
    public boolean outPrunable(L2Vertex config) {
      return false;
    }

    @Override
    public void resize(L2Vertex config, List<int[]> keepIn, int[] keepOut) {}

    /** A difference, a square and a sum per input element. */
    @Override
    public Cost cost(L2Vertex config, List<InputType> in, InputType out) {
      return Cost.other(3 * in.get(0).arrayElementsPerExample());
    }
  }

  /** {@code PreprocessorVertex}: maps and resizes like the preprocessor it wraps. */
  static final class Preprocessor extends VertexPruners.NoParams<PreprocessorVertex> {
    private final PrunerRegistry registry;

    Preprocessor(PrunerRegistry registry) {
      this.registry = registry;
    }

    @Override
    public Class<PreprocessorVertex> type() {
      return PreprocessorVertex.class;
    }

    @Override
    public int[] connect(PreprocessorVertex config, List<int[]> inputSlots, Slots slots) {
      int[] in = Widths.single(inputSlots, "PreprocessorVertex");
      return wrapped(config).map(config.getPreProcessor(), in, slots);
    }

    @Override
    public void resize(PreprocessorVertex config, List<int[]> keepIn, int[] keepOut) {
      wrapped(config).resize(config.getPreProcessor(), keepIn.get(0));
    }

    private PreprocessorPruner<InputPreProcessor> wrapped(PreprocessorVertex config) {
      InputPreProcessor pre = config.getPreProcessor();
      return registry.preprocessor(pre).orElseThrow(() -> new Unmappable(
          "its " + pre.getClass().getSimpleName() + " "
              + registry.refusal(pre.getClass()).map(why -> "is not pruned: " + why)
                  .orElse("has no PreprocessorPruner; register one with PrunerRegistry.register")));
    }

    /** The same pruner looking preprocessors up in {@code other}. */
    Preprocessor boundTo(PrunerRegistry other) {
      return new Preprocessor(other);
    }
  }

  /** Joins the inputs' slots position by position; they must have one width. */
  private static int[] coupled(List<int[]> inputSlots, Slots slots, String type) {
    int[] first = inputSlots.get(0);
    for (int[] other : inputSlots) {
      if (other.length != first.length) {
        throw new IllegalArgumentException(
            type + " inputs differ in width: " + first.length + " and " + other.length);
      }
      for (int c = 0; c < first.length; c++) {
        slots.union(first[c], other[c]);
      }
    }
    return first;
  }
}
