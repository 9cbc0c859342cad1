package org.depprune.importance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;
import org.depprune.model.BaseModel;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Every criterion's scores against values computed by hand from known weights. */
class CriteriaTest {
  // layer0: dense 3 -> 4, W0 [3, 4]; layer1: dense 4 -> 2, W1 [4, 2]; output 2 -> 2.
  private static final double[][] W0 = {{1, -2, 0, 3}, {0, 1, -1, 1}, {2, 0, 0, -1}};
  private static final double[] B0 = {0.5, 0, -1, 0};
  private static final double[][] W1 = {{1, 1}, {0, 2}, {-3, 0}, {1, -1}};

  private static DepGraph graph() {
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
        .layer(new DenseLayer.Builder().nIn(3).nOut(4).build())
        .layer(new DenseLayer.Builder().nIn(4).nOut(2).build())
        .layer(new OutputLayer.Builder().nIn(2).nOut(2).build())
        .build());
    net.init();
    net.getLayer(0).getParam("W").assign(Nd4j.createFromArray(W0).castTo(net.params().dataType()));
    net.getLayer(0).getParam("b").assign(Nd4j.createFromArray(B0).castTo(net.params().dataType()).reshape(1, 4));
    net.getLayer(1).getParam("W").assign(Nd4j.createFromArray(W1).castTo(net.params().dataType()));
    net.getLayer(1).getParam("b").assign(0);
    return DepGraph.of(net);
  }

  @Test
  void magnitudeIsTheL1NormOfTheRootFilter() {
    DepGraph g = graph();
    // column sums of |W0| plus |b0|
    assertArrayEquals(new double[] {3.5, 3, 2, 5}, new MagnitudeImportance().scores(g, g.group("layer0")), 1e-6);
  }

  @Test
  void groupNormAveragesEveryMemberAndDividesByTheMean() {
    DepGraph g = graph();
    double[] producer = {1 + 0 + 4 + 0.25, 4 + 1 + 0 + 0, 0 + 1 + 0 + 1, 9 + 1 + 1 + 0};
    double[] consumer = {2, 4, 9, 2};
    double[] mean = new double[4];
    for (int c = 0; c < 4; c++) {
      mean[c] = (producer[c] + consumer[c]) / 2;
    }
    double average = java.util.Arrays.stream(mean).average().orElseThrow();
    double[] expected = java.util.Arrays.stream(mean).map(v -> v / average).toArray();
    assertArrayEquals(expected, new GroupNormImportance().scores(g, g.group("layer0")), 1e-6);
    assertArrayEquals(producer, new GroupNormImportance(Reduction.FIRST, Normalizer.NONE).scores(g, g.group("layer0")), 1e-6);
  }

  @Test
  void lampDividesBySumOfNotSmallerScores() {
    DepGraph g = graph();
    double[] m = {5.25, 5, 2, 11};
    // ascending: 2 (c2), 5 (c1), 5.25 (c0), 11 (c3)
    double[] expected = {5.25 / (5.25 + 11), 5 / (5 + 5.25 + 11), 2 / (2 + 5 + 5.25 + 11), 11 / 11.0};
    assertArrayEquals(expected, new LampImportance().scores(g, g.group("layer0")), 1e-6);
  }

  @Test
  void fpgmSumsDistancesToTheOtherFilters() {
    DepGraph g = graph();
    double[][] filters = new double[4][3];
    for (int c = 0; c < 4; c++) {
      for (int i = 0; i < 3; i++) {
        filters[c][i] = W0[i][c];
      }
    }
    double[] expected = new double[4];
    for (int p = 0; p < 4; p++) {
      for (int q = 0; q < 4; q++) {
        double d2 = 0;
        for (int i = 0; i < 3; i++) {
          d2 += (filters[p][i] - filters[q][i]) * (filters[p][i] - filters[q][i]);
        }
        expected[p] += Math.sqrt(d2);
      }
    }
    assertArrayEquals(expected, new FpgmImportance().scores(g, g.group("layer0")), 1e-5);
  }

  @Test
  void bnScaleAveragesTheGroupsBatchNormGammas() {
    ComputationGraph net = BaseModel.create(BaseModel.Spec.defaults());
    net.getLayer("stem_bn").getParam("gamma").assign(Nd4j.linspace(1, 16, 16).reshape(1, 16));
    net.getLayer("block1_bn2").getParam("gamma").assign(Nd4j.linspace(-16, -1, 16).reshape(1, 16));
    DepGraph g = DepGraph.of(net);
    double[] scores = new BnScaleImportance().scores(g, g.group("stem"));
    for (int c = 0; c < 16; c++) {
      assertEquals(((c + 1) + (16 - c)) / 2.0, scores[c], 1e-6, "channel " + c);
    }
    // dense has no batch norm: every channel scores 0.
    assertArrayEquals(new double[128], new BnScaleImportance().scores(g, g.group("dense")));
  }

  @Test
  void randomIsSeeded() {
    DepGraph g = graph();
    Group group = g.group("layer0");
    assertArrayEquals(new RandomImportance(3).scores(g, group), new RandomImportance(3).scores(g, group));
    assertTrue(!java.util.Arrays.equals(new RandomImportance(3).scores(g, group), new RandomImportance(4).scores(g, group)));
  }

  @Test
  void criteriaByName() {
    assertEquals("lamp", Criteria.byName("lamp", 1).name());
    var e = assertThrows(IllegalArgumentException.class, () -> Criteria.byName("l1", 1));
    assertTrue(e.getMessage().contains("unknown criterion 'l1'; choose one of magnitude, group-norm"), e.getMessage());
  }

  @Test
  void reductionsAndNormalizers() {
    double[][] rows = {{1, 2, 3}, {3, 2, 1}};
    assertArrayEquals(new double[] {2, 2, 2}, Reduction.MEAN.reduce(rows));
    assertArrayEquals(new double[] {4, 4, 4}, Reduction.SUM.reduce(rows));
    assertArrayEquals(new double[] {3, 2, 3}, Reduction.MAX.reduce(rows));
    assertArrayEquals(new double[] {3, 4, 3}, Reduction.PRODUCT.reduce(rows));
    assertArrayEquals(new double[] {1, 2, 3}, Reduction.FIRST.reduce(rows));
    double[] s = {1, 2, 5};
    assertArrayEquals(new double[] {0.375, 0.75, 1.875}, Normalizer.MEAN.normalize(s), 1e-12);
    assertArrayEquals(new double[] {0.2, 0.4, 1}, Normalizer.MAX.normalize(s), 1e-12);
    assertArrayEquals(new double[] {0.125, 0.25, 0.625}, Normalizer.SUM.normalize(s), 1e-12);
    double sd = Math.sqrt(((1 - 8 / 3.0) * (1 - 8 / 3.0) + (2 - 8 / 3.0) * (2 - 8 / 3.0) + (5 - 8 / 3.0) * (5 - 8 / 3.0)) / 3);
    assertEquals((5 - 8 / 3.0) / sd, Normalizer.STANDARDIZE.normalize(s)[2], 1e-9);
    assertArrayEquals(new double[] {1 / 8.0, 2 / 7.0, 1}, Normalizer.LAMP.normalize(s), 1e-9);
    assertThrows(IllegalArgumentException.class, () -> Reduction.MEAN.reduce(new double[0][]));
  }
}
