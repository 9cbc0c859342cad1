package org.depprune.pruner;

import java.util.HashMap;
import java.util.Map;
import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;
import org.depprune.graph.Side;
import org.depprune.prune.NetworkRebuilder;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sparse learning hooked into DL4J training: a listener that adds a penalty's gradient to the
 * loss gradient after DL4J computes it and before the updater applies it. DL4J's gradient at that
 * point is the minibatch sum, so penalties are scaled by the batch size to act on the mean loss.
 * Subclasses say which penalty; {@link #forEachChannelSlice} walks a group's parameters channel
 * by channel, the way group criteria do.
 */
public abstract class SparseLearning extends BaseTrainingListener {
  private final Map<String, String> gradientPrefix = new HashMap<>();

  @Override
  public final void onGradientCalculation(Model model) {
    Map<String, INDArray> gradients = model.gradient().gradientForVariable();
    addPenalty(model, gradients, Math.max(1, model.batchSize()));
  }

  /** Adds the penalty's gradient, times {@code batchSize}, to {@code gradients} in place. */
  protected abstract void addPenalty(Model model, Map<String, INDArray> gradients, int batchSize);

  /** The gradient of {@code layer}'s parameter {@code key}, or null. */
  protected INDArray gradient(Model model, Map<String, INDArray> gradients, String layer, String key) {
    return gradients.get(prefix(model, layer) + "_" + key);
  }

  private String prefix(Model model, String layer) {
    if (!(model instanceof MultiLayerNetwork sequential)) {
      return layer;
    }
    return gradientPrefix.computeIfAbsent(layer, name -> {
      var conf = sequential.getLayerWiseConfigurations();
      for (int i = 0; i < conf.getConfs().size(); i++) {
        if (NetworkRebuilder.layerName(conf, i).equals(name)) {
          return String.valueOf(i);
        }
      }
      throw new IllegalArgumentException("no layer named '" + name + "'");
    });
  }

  /** One parameter's positions along the axis of a group side, and their channels. */
  protected record ChannelSlice(String layer, String key, INDArray param, int axis, int[] channelOf) {
    /** {@code values[channel]} spread along the axis into a broadcastable array. */
    INDArray spread(double[] values) {
      double[] perPosition = new double[channelOf.length];
      for (int p = 0; p < channelOf.length; p++) {
        perPosition[p] = channelOf[p] >= 0 ? values[channelOf[p]] : 0;
      }
      long[] shape = new long[param.rank()];
      java.util.Arrays.fill(shape, 1);
      shape[axis] = channelOf.length;
      return org.nd4j.linalg.factory.Nd4j.createFromArray(perPosition).castTo(param.dataType()).reshape(shape);
    }
  }

  /** Every parameter slice the group's channels own, across all its members. */
  protected static void forEachChannelSlice(DepGraph graph, Group group, java.util.function.Consumer<ChannelSlice> action) {
    for (Group.Member member : group.members()) {
      Object config = graph.node(member.node()).config();
      if (config == null) {
        continue;
      }
      Map<String, Integer> axes = graph.registry().layer(config)
          .map(p -> member.side() == Side.OUT ? p.outAxes(config) : p.inAxes(config)).orElse(Map.of());
      Map<String, INDArray> params = graph.params(member.node());
      int[] channelOf = null;
      for (var entry : axes.entrySet()) {
        INDArray p = params.get(entry.getKey());
        if (p == null) {
          continue;
        }
        int axis = entry.getValue() < 0 ? p.rank() - 1 : entry.getValue();
        if (channelOf == null) {
          channelOf = graph.channelMap(group, member.node(), member.side());
        }
        if (p.size(axis) == channelOf.length) {
          action.accept(new ChannelSlice(member.node(), entry.getKey(), p, axis, channelOf));
        }
      }
    }
  }

  /** Per channel of {@code group}, the sum of squares of every parameter it owns. */
  protected static double[] squaredNorms(DepGraph graph, Group group) {
    double[] norms = new double[group.channels()];
    forEachChannelSlice(graph, group, slice -> {
      int[] others = java.util.stream.IntStream.range(0, slice.param().rank()).filter(d -> d != slice.axis()).toArray();
      INDArray squares = slice.param().mul(slice.param());
      double[] perPosition = others.length == 0 ? squares.toDoubleVector() : squares.sum(others).toDoubleVector();
      for (int p = 0; p < perPosition.length; p++) {
        if (slice.channelOf()[p] >= 0) {
          norms[slice.channelOf()[p]] += perPosition[p];
        }
      }
    });
    return norms;
  }
}
