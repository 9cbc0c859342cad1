package org.depprune.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.depprune.importance.GroupNormImportance;
import org.depprune.importance.MagnitudeImportance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The importance criteria read the volume types' parameters along the right axes. */
class VolumeImportanceTest {

  @Test
  void everyPrunableGroupScoresOneFiniteValuePerChannel() {
    for (Fixtures.Fixture fixture : VolumeFixtures.all()) {
      DepGraph graph = DepGraph.of(fixture.net());
      for (Group group : graph.prunableGroups()) {
        for (double[] scores : new double[][] {
            new MagnitudeImportance().scores(graph, group), new GroupNormImportance().scores(graph, group)}) {
          assertEquals(group.channels(), scores.length, fixture + " " + group.id());
          for (double s : scores) {
            assertTrue(Double.isFinite(s) && s >= 0, fixture + " " + group.id() + ": " + java.util.Arrays.toString(scores));
          }
        }
      }
    }
  }

  @Test
  void magnitudeReadsFiltersAlongTheirOwnAxis() {
    ComputationGraph lc = (ComputationGraph) VolumeFixtures.locallyConnected2d().net();
    assertArrayEquals(l1(lc, "lc", 2), new MagnitudeImportance().scores(DepGraph.of(lc), DepGraph.of(lc).group("lc")), 1e-5);
    ComputationGraph volume = (ComputationGraph) VolumeFixtures.volume().net();
    DepGraph graph = DepGraph.of(volume);
    assertArrayEquals(l1(volume, "de", 3), new MagnitudeImportance().scores(graph, graph.group("de")), 1e-5);
    assertArrayEquals(l1(volume, "c2", 0), new MagnitudeImportance().scores(graph, graph.group("c2")), 1e-5);
  }

  /** Per filter, the L1 norm of its weights (filters along {@code axis}) plus its bias. */
  private static double[] l1(ComputationGraph net, String layer, int axis) {
    INDArray w = Transforms.abs(net.getLayer(layer).getParam("W"), true);
    int[] others = java.util.stream.IntStream.range(0, w.rank()).filter(d -> d != axis).toArray();
    double[] perFilter = w.sum(others).toDoubleVector();
    double[] bias = Transforms.abs(net.getLayer(layer).getParam("b"), true).toDoubleVector();
    for (int c = 0; c < perFilter.length; c++) {
      perFilter[c] += bias[c];
    }
    return perFilter;
  }
}
