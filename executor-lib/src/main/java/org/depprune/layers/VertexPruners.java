package org.depprune.layers;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The index mappings of ComputationGraph vertices: concat, element-wise ops and subsets. */
final class VertexPruners {
  private VertexPruners() {}

  /** Base for parameter-free vertices: no MACs unless they say otherwise. */
  abstract static class NoParams<T> implements LayerPruner<T> {
    @Override
    public Cost cost(T config, List<InputType> in, InputType out) {
      return Cost.NONE;
    }

    @Override
    public Map<String, INDArray> slice(
        T config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
      return Map.of();
    }
  }

  /** {@code MergeVertex}: concat along channels; input k owns an offset range of the output. */
  static final class Merge extends NoParams<MergeVertex> {
    @Override
    public Class<MergeVertex> type() {
      return MergeVertex.class;
    }

    @Override
    public int[] connect(MergeVertex config, List<int[]> inputSlots, Slots slots) {
      if (config.getMergeAxis() != 1) {
        throw new IllegalArgumentException(
            "MergeVertex along axis " + config.getMergeAxis()
                + " does not concatenate channels; only axis 1 is supported");
      }
      return inputSlots.stream().flatMapToInt(Arrays::stream).toArray();
    }

    @Override
    public void resize(MergeVertex config, List<int[]> keepIn, int[] keepOut) {}
  }

  /** {@code ElementWiseVertex}: every input and the output are the same channels. */
  static final class ElementWise extends NoParams<ElementWiseVertex> {
    @Override
    public Class<ElementWiseVertex> type() {
      return ElementWiseVertex.class;
    }

    @Override
    public int[] connect(ElementWiseVertex config, List<int[]> inputSlots, Slots slots) {
      int[] first = inputSlots.get(0);
      for (int[] other : inputSlots) {
        if (other.length != first.length) {
          throw new IllegalArgumentException(
              "ElementWiseVertex (" + config.getOp() + ") inputs differ in width: "
                  + first.length + " and " + other.length);
        }
        for (int c = 0; c < first.length; c++) {
          slots.union(first[c], other[c]);
        }
      }
      return first;
    }

    @Override
    public void resize(ElementWiseVertex config, List<int[]> keepIn, int[] keepOut) {}

    /** One operation per output element for every input after the first. */
    @Override
    public Cost cost(ElementWiseVertex config, List<InputType> in, InputType out) {
      return Cost.other(out.arrayElementsPerExample() * (in.size() - 1));
    }
  }

  /** {@code SubsetVertex}: the output is channels {@code from..to} (inclusive) of the input. */
  static final class Subset extends NoParams<SubsetVertex> {
    @Override
    public Class<SubsetVertex> type() {
      return SubsetVertex.class;
    }

    @Override
    public int[] connect(SubsetVertex config, List<int[]> inputSlots, Slots slots) {
      int[] in = Widths.single(inputSlots, "SubsetVertex");
      if (config.getTo() >= in.length) {
        throw new IllegalArgumentException(
            "SubsetVertex [" + config.getFrom() + ", " + config.getTo() + "] exceeds its input's "
                + in.length + " channels");
      }
      return Arrays.copyOfRange(in, config.getFrom(), config.getTo() + 1);
    }

    @Override
    public void resize(SubsetVertex config, List<int[]> keepIn, int[] keepOut) {
      if (keepOut.length == 0) {
        throw new IllegalArgumentException("pruning would leave SubsetVertex with no channel");
      }
      int from = config.getFrom();
      int to = config.getTo();
      int newFrom = 0;
      int kept = 0;
      for (int position : keepIn.get(0)) {
        if (position < from) {
          newFrom++;
        } else if (position <= to) {
          kept++;
        }
      }
      config.setFrom(newFrom);
      config.setTo(newFrom + kept - 1);
    }
  }
}
