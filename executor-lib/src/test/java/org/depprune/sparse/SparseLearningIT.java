package org.depprune.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.depprune.data.FashionMnist;
import org.depprune.data.BatchIterator;
import org.depprune.data.LabeledImages;
import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;
import org.depprune.graph.Node;
import org.depprune.importance.MagnitudeImportance;
import org.depprune.model.BaseModel;
import org.depprune.train.Trainer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * After the same short training, with a sparse-learning penalty the targeted norms are clearly
 * smaller than without it.
 */
class SparseLearningIT {
  private static final BaseModel.Spec SPEC = new BaseModel.Spec(4, 16, 10, 7, 1e-2, 1.0);
  private static LabeledImages train;
  private static ComputationGraph plain;

  @BeforeAll
  static void trainWithoutPenalty() throws IOException {
    train = FashionMnist.train(FashionMnist.DEBIAN_DIR);
    plain = train(null);
  }

  private static ComputationGraph train(java.util.function.Function<DepGraph, TrainingListener> penalty) {
    ComputationGraph net = BaseModel.create(SPEC);
    if (penalty != null) {
      net.setListeners(penalty.apply(DepGraph.of(net)));
    }
    int[] subset = java.util.stream.IntStream.range(0, 1024).toArray();
    Trainer.fit(net, BatchIterator.shuffled(train, subset, 32, 3), 2);
    return net;
  }

  private static double meanAbsGamma(ComputationGraph net) {
    double sum = 0;
    long n = 0;
    for (Node node : DepGraph.of(net).nodesInOrder()) {
      if (node.config() instanceof BatchNormalization) {
        var gamma = net.getLayer(node.name()).getParam("gamma");
        sum += gamma.norm1Number().doubleValue();
        n += gamma.length();
      }
    }
    return sum / n;
  }

  private static double[] channelNorms(ComputationGraph net, String group) {
    DepGraph graph = DepGraph.of(net);
    double[] squares = org.depprune.importance.ChannelSlices.squaredNorms(graph, graph.group(group));
    return java.util.Arrays.stream(squares).map(Math::sqrt).toArray();
  }

  @Test
  void bnScaleL1ShrinksTheScales() {
    ComputationGraph sparse = train(graph -> new BnScaleL1(graph, 0.05));
    double with = meanAbsGamma(sparse);
    double without = meanAbsGamma(plain);
    assertTrue(with < 0.75 * without, "mean |gamma| " + with + " with L1 against " + without + " without");
  }

  @Test
  void groupLassoShrinksWholeGroups() {
    ComputationGraph sparse = train(graph -> new GroupLasso(graph, 0.05));
    for (String group : new String[] {"stem", "down", "dense"}) {
      double with = java.util.Arrays.stream(channelNorms(sparse, group)).sum();
      double without = java.util.Arrays.stream(channelNorms(plain, group)).sum();
      assertTrue(with < 0.8 * without, group + ": group norms " + with + " with lasso against " + without);
    }
  }

  @Test
  void growingRegularizationShrinksOnlyTheChannelsToPrune() {
    GrowingRegularization[] listener = new GrowingRegularization[1];
    ComputationGraph sparse = train(graph -> listener[0] = new GrowingRegularization(graph, new MagnitudeImportance(), 0.5, 0.01, 4, 1.0));
    Group stem = DepGraph.of(sparse).group("stem");
    double[] selected = listener[0].selected(stem);
    assertEquals(2.0, java.util.Arrays.stream(selected).sum(), "half of the stem's 4 channels are penalised");
    double[] with = channelNorms(sparse, "stem");
    double[] without = channelNorms(plain, "stem");
    double penalised = 0;
    double free = 0;
    for (int c = 0; c < with.length; c++) {
      if (selected[c] == 1) {
        penalised += with[c] / without[c];
      } else {
        free += with[c] / without[c];
      }
    }
    assertTrue(penalised / 2 < 0.5, "penalised channels keep " + penalised / 2 + " of their norm");
    assertTrue(free / 2 > 0.7, "the others keep " + free / 2);
    assertEquals(0.0, listener[0].strength(3));
    assertEquals(0.02, listener[0].strength(8), 1e-12);
    assertEquals(1.0, listener[0].strength(1_000_000));
  }

  @Test
  void badStrengthsAreRefused() {
    DepGraph graph = DepGraph.of(BaseModel.create(SPEC));
    assertThrows(IllegalArgumentException.class, () -> new BnScaleL1(graph, 0));
    assertThrows(IllegalArgumentException.class, () -> new GroupLasso(graph, -1));
    var e = assertThrows(IllegalArgumentException.class,
        () -> new GrowingRegularization(graph, new MagnitudeImportance(), 1.0, 0.1, 1, 1));
    assertTrue(e.getMessage().contains("ratio in (0, 1)"), e.getMessage());
  }
}
