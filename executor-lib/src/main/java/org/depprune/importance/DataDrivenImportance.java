package org.depprune.importance;

import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;
import org.depprune.graph.Side;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Criteria that need the loss gradient on calibration batches. Gradients are computed once per
 * graph and reused for every group.
 *
 * <ul>
 *   <li>{@code taylor} (Molchanov et al., "Pruning Convolutional Neural Networks for Resource
 *       Efficient Inference", ICLR 2017): {@code s_c = |sum_{w in root filter c} w * E[dL/dw]|}.
 *   <li>{@code hessian} (LeCun et al., "Optimal Brain Damage", NIPS 1989):
 *       {@code s_c = sum_{w in root filter c} 1/2 h_ww w^2}, with the diagonal Hessian estimated by
 *       the empirical Fisher {@code h_ww = E[(dL/dw)^2]}: squared gradients of each calibration
 *       batch's mean loss, averaged over the batches.
 *   <li>{@code group-taylor}, {@code group-hessian} (DepGraph, Fang et al., CVPR 2023): the same
 *       saliencies over every member of the group, averaged over members and divided by the
 *       group mean.
 * </ul>
 */
public final class DataDrivenImportance implements Importance {
  /** Which saliency. */
  public enum Kind {
    TAYLOR,
    HESSIAN
  }

  private final Kind kind;
  private final boolean group;
  private final DataSetIterator calibration;
  private final int batches;
  private final long seed;
  private DepGraph cachedFor;
  private Gradients gradients;

  /**
   * @param seed seeds the dropout masks drawn while the calibration gradients are taken (the
   *     trial's seed in a search)
   */
  public DataDrivenImportance(Kind kind, boolean group, DataSetIterator calibration, int batches, long seed) {
    this.kind = kind;
    this.group = group;
    this.calibration = calibration;
    this.batches = batches;
    this.seed = seed;
  }

  @Override
  public String name() {
    return (group ? "group-" : "") + kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public double[] scores(DepGraph graph, Group target) {
    if (cachedFor != graph) {
      gradients = Gradients.of(graph.network(), calibration, batches, seed);
      cachedFor = graph;
    }
    double[][] rows = GroupScores.rows(graph, target, this::saliency,
        m -> group || (m.node().equals(target.root()) && m.side() != Side.IN));
    if (rows.length == 0) {
      return new double[target.channels()];
    }
    if (kind == Kind.TAYLOR) {
      for (double[] row : rows) {
        for (int c = 0; c < row.length; c++) {
          row[c] = Math.abs(row[c]);
        }
      }
    }
    return group
        ? Normalizer.MEAN.normalize(Reduction.MEAN.reduce(rows))
        : Reduction.FIRST.reduce(rows);
  }

  private INDArray saliency(String node, String key, INDArray w) {
    if (kind == Kind.TAYLOR) {
      INDArray g = gradients.mean(node, key);
      return g == null ? w.mul(0) : w.mul(g.reshape(w.shape()));
    }
    INDArray g2 = gradients.meanSquare(node, key);
    return g2 == null ? w.mul(0) : w.mul(w).muli(g2.reshape(w.shape())).muli(0.5);
  }
}
