package org.depprune.importance;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;
import org.depprune.graph.Side;
import org.depprune.layers.InnerAxis;
import org.depprune.layers.LayerPruner;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The parameters a group's channels own, slice by slice: for every member (node, side) of the
 * group and every parameter of that node with an axis for that side (its pruner's
 * {@code outAxes} / {@code inAxes} / {@code innerAxes}), which channel each position along the
 * axis belongs to. An attention layer's heads are INNER channels: a head is scored over its slices
 * of every projection, the output projection's rows seen as {@code [nHeads, headSize, nOut]}.
 * Group criteria sum saliencies over these slices; sparse-learning penalties add gradients to them.
 */
public final class ChannelSlices {
  private ChannelSlices() {}

  /**
   * One parameter's positions along a group side's axis.
   *
   * @param member the group member the slice belongs to
   * @param key the DL4J parameter key
   * @param param the parameter (a view: do not modify)
   * @param axis the axis indexed by the member side's positions
   * @param channelOf per position along the axis, the group channel, or -1
   */
  public record Slice(Group.Member member, String key, INDArray param, int axis, int[] channelOf) {
    /** Per position, the sum of {@code values} over every other axis. */
    public double[] sumPerPosition(INDArray values) {
      if (values.rank() == 1) {
        return values.toDoubleVector();
      }
      int[] others = java.util.stream.IntStream.range(0, values.rank()).filter(d -> d != axis).toArray();
      return values.sum(others).toDoubleVector();
    }

    /** {@code perChannel[channel]} laid along the axis, broadcastable against the parameter. */
    public INDArray spread(double[] perChannel) {
      double[] perPosition = new double[channelOf.length];
      for (int p = 0; p < channelOf.length; p++) {
        perPosition[p] = channelOf[p] >= 0 ? perChannel[channelOf[p]] : 0;
      }
      long[] shape = new long[param.rank()];
      java.util.Arrays.fill(shape, 1);
      shape[axis] = channelOf.length;
      return Nd4j.createFromArray(perPosition).castTo(param.dataType()).reshape(shape);
    }
  }

  /** Calls {@code action} for every slice of the members that {@code accept} lets through. */
  public static void forEach(DepGraph graph, Group group, Predicate<Group.Member> accept, Consumer<Slice> action) {
    for (Group.Member member : group.members()) {
      Object config = graph.node(member.node()).config();
      if (config == null || !accept.test(member)) {
        continue;
      }
      Map<String, InnerAxis> axes = graph.registry().layer(config)
          .map(p -> axes(p, config, member.side()))
          .orElse(Map.of());
      if (axes.isEmpty()) {
        continue;
      }
      Map<String, INDArray> params = graph.params(member.node());
      int[] channelOf = null;
      for (var entry : axes.entrySet()) {
        INDArray p = params.get(entry.getKey());
        if (p == null) {
          continue;
        }
        long[] view = entry.getValue().view();
        if (view != null) {
          // e.g. an attention output projection [nHeads * headSize, nOut] seen as [nHeads, headSize, nOut]
          p = p.reshape('c', view);
        }
        int axis = entry.getValue().axis() < 0 ? p.rank() - 1 : entry.getValue().axis();
        if (channelOf == null) {
          channelOf = graph.channelMap(group, member.node(), member.side());
        }
        // e.g. a depthwise bias: OUT positions are channel x multiplier, not the IN positions
        if (p.size(axis) == channelOf.length) {
          action.accept(new Slice(member, entry.getKey(), p, axis, channelOf));
        }
      }
    }
  }

  /** The member side's axes, as {@link InnerAxis} values (IN and OUT axes have no view). */
  private static <T> Map<String, InnerAxis> axes(LayerPruner<T> pruner, T config, Side side) {
    if (side == Side.INNER) {
      return pruner.innerAxes(config);
    }
    Map<String, InnerAxis> axes = new java.util.LinkedHashMap<>();
    (side == Side.OUT ? pruner.outAxes(config) : pruner.inAxes(config))
        .forEach((key, axis) -> axes.put(key, InnerAxis.of(axis)));
    return axes;
  }

  /** Per channel, the sum of squares of every parameter it owns in the group. */
  public static double[] squaredNorms(DepGraph graph, Group group) {
    double[] norms = new double[group.channels()];
    forEach(graph, group, m -> true, slice -> {
      double[] perPosition = slice.sumPerPosition(slice.param().mul(slice.param()));
      for (int p = 0; p < perPosition.length; p++) {
        if (slice.channelOf()[p] >= 0) {
          norms[slice.channelOf()[p]] += perPosition[p];
        }
      }
    });
    return norms;
  }
}
