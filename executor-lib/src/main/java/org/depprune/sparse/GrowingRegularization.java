package org.depprune.sparse;

import java.util.HashMap;
import java.util.Map;
import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;
import org.depprune.importance.Importance;
import org.depprune.importance.ChannelSlices;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Growing regularisation (Wang et al., "Neural Pruning via Growing Regularization", ICLR 2021):
 * the channels to be pruned (the lowest-scoring {@code floor(n * ratio)} of each group, chosen
 * once at the start) get an L2 penalty {@code lambda_t * ||w_c||^2} whose strength grows by
 * {@code step} every {@code every} iterations up to {@code ceiling}; the others get none.
 */
public final class GrowingRegularization extends SparseLearning {
  private final DepGraph graph;
  private final double step;
  private final int every;
  private final double ceiling;
  private final Map<Group, double[]> selected = new HashMap<>();
  private long iterations;

  public GrowingRegularization(DepGraph graph, Importance importance, double ratio, double step, int every, double ceiling) {
    this(graph, importance, everyGroup(ratio), step, every, ceiling);
  }

  private static java.util.function.ToDoubleFunction<Group> everyGroup(double ratio) {
    if (!(ratio > 0 && ratio < 1)) {
      throw new IllegalArgumentException("growing regularisation needs a ratio in (0, 1), found " + ratio);
    }
    return group -> ratio;
  }

  /**
   * With a ratio per group (a plan's per-layer ratios: {@code ratioOf} gives a group's, in [0, 1);
   * a group at 0 gets no penalty).
   */
  public GrowingRegularization(DepGraph graph, Importance importance, java.util.function.ToDoubleFunction<Group> ratioOf,
      double step, int every, double ceiling) {
    if (!(step > 0) || every < 1 || !(ceiling >= step)) {
      throw new IllegalArgumentException(String.format(
          "growing regularisation needs step > 0, every >= 1 and ceiling >= step; found step %s, every %d,"
              + " ceiling %s", step, every, ceiling));
    }
    this.graph = graph;
    this.step = step;
    this.every = every;
    this.ceiling = ceiling;
    for (Group group : graph.prunableGroups()) {
      double[] scores = importance.scores(graph, group);
      double ratio = ratioOf.applyAsDouble(group);
      if (!(ratio >= 0 && ratio < 1)) {
        throw new IllegalArgumentException("group '" + group.root() + "': ratio must be in [0, 1), found " + ratio);
      }
      int remove = (int) Math.floor(group.channels() * ratio);
      double[] mask = new double[group.channels()];
      java.util.stream.IntStream.range(0, scores.length).boxed()
          .sorted(java.util.Comparator.<Integer>comparingDouble(c -> scores[c]).thenComparing(c -> c))
          .limit(remove).forEach(c -> mask[c] = 1);
      selected.put(group, mask);
    }
  }

  /** The penalty strength after {@code t} iterations. */
  public double strength(long t) {
    return Math.min(ceiling, step * (t / every));
  }

  /** Which channels of {@code group} are penalised (1) and which are not (0). */
  public double[] selected(Group group) {
    return selected.get(group).clone();
  }

  @Override
  protected void addPenalty(Model model, Map<String, INDArray> gradients, int batchSize) {
    double lambda = strength(iterations++);
    if (lambda == 0) {
      return;
    }
    selected.forEach((group, mask) -> {
      double[] scale = new double[mask.length];
      for (int c = 0; c < mask.length; c++) {
        scale[c] = 2 * lambda * batchSize * mask[c];
      }
      ChannelSlices.forEach(graph, group, m -> true, slice -> {
        INDArray g = gradient(model, gradients, slice.member().node(), slice.key());
        if (g != null) {
          g.addi(slice.param().mul(slice.spread(scale)).reshape(g.shape()));
        }
      });
    });
  }
}
