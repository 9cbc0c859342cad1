package org.depprune.sparse;

import java.util.Map;
import org.depprune.graph.DepGraph;
import org.depprune.graph.Node;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Network Slimming's sparsity (Liu et al., ICCV 2017): an L1 penalty {@code lambda * sum |gamma|}
 * on every batch norm's scale, whose subgradient {@code lambda * sign(gamma)} drives unneeded
 * channels' scales to zero, so that {@code bn-scale} can prune them.
 */
public final class BnScaleL1 extends SparseLearning {
  private final DepGraph graph;
  private final double lambda;

  public BnScaleL1(DepGraph graph, double lambda) {
    if (!(lambda > 0)) {
      throw new IllegalArgumentException("L1 strength must be positive, found " + lambda);
    }
    this.graph = graph;
    this.lambda = lambda;
  }

  @Override
  protected void addPenalty(Model model, Map<String, INDArray> gradients, int batchSize) {
    for (Node node : graph.nodesInOrder()) {
      if (node.config() instanceof BatchNormalization bn && !bn.isLockGammaBeta()) {
        INDArray gamma = graph.params(node.name()).get("gamma");
        INDArray g = gradient(model, gradients, node.name(), "gamma");
        if (gamma != null && g != null) {
          g.addi(Transforms.sign(gamma, true).muli(lambda * batchSize).reshape(g.shape()));
        }
      }
    }
  }
}
