package org.depprune.sparse;

import java.util.Map;
import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;
import org.depprune.importance.ChannelSlices;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DepGraph's group-level sparse learning (Fang et al., CVPR 2023): a group lasso
 * {@code lambda * sum_c ||w_c||_2} where {@code w_c} is every parameter channel {@code c} owns
 * anywhere in its group (producer filter, batch norm, consumers' inputs), so whole coupled
 * channels shrink together. Gradient {@code lambda * w / ||w_c||_2}.
 */
public final class GroupLasso extends SparseLearning {
  private static final double EPS = 1e-8;
  private final DepGraph graph;
  private final double lambda;

  public GroupLasso(DepGraph graph, double lambda) {
    if (!(lambda > 0)) {
      throw new IllegalArgumentException("group lasso strength must be positive, found " + lambda);
    }
    this.graph = graph;
    this.lambda = lambda;
  }

  @Override
  protected void addPenalty(Model model, Map<String, INDArray> gradients, int batchSize) {
    for (Group group : graph.prunableGroups()) {
      double[] scale = ChannelSlices.squaredNorms(graph, group);
      for (int c = 0; c < scale.length; c++) {
        scale[c] = lambda * batchSize / (Math.sqrt(scale[c]) + EPS);
      }
      ChannelSlices.forEach(graph, group, m -> true, slice -> {
        INDArray g = gradient(model, gradients, slice.member().node(), slice.key());
        if (g != null) {
          g.addi(slice.param().mul(slice.spread(scale)).reshape(g.shape()));
        }
      });
    }
  }
}
