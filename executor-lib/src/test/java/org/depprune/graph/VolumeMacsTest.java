package org.depprune.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.depprune.metrics.MacCounter;
import org.depprune.metrics.MacReport;
import org.junit.jupiter.api.Test;

/** MACs, other operations and parameters of the volume fixtures, counted by hand. */
class VolumeMacsTest {
  private static final InputType VOLUME = InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, 4, 4, 4, 2);

  @Test
  void aVolumeNetworkCountsAsByHandBeforeAndAfterPruning() {
    Model net = VolumeFixtures.volume().net();
    MacReport report = MacCounter.count(net, VOLUME);
    Map<String, Long> expected = new LinkedHashMap<>();
    expected.put("c1", 4L * 4 * 4 * 4 * 2 * 27); // 4^3 positions, 4 filters, 2 inputs, 3^3 kernel
    expected.put("c2", 4L * 4 * 4 * 5 * 4 * 27);
    expected.put("de", 4L * 4 * 4 * 3 * 5 * 8); // every input position times every 2^3 filter
    expected.put("c3", 8L * 8 * 8 * 3 * 3 * 27);
    expected.put("out", 3L * 2);
    assertEquals(expected, report.perLayer());
    // The 2^3 max pool reads 8 values per output; global pooling reads every input element once.
    assertEquals(2 * 2 * 2 * 4 * 8 + 8 * 8 * 8 * 3, report.otherOps());
    assertEquals((4 * 2 * 27 + 4) + (5 * 4 * 27 + 5) + (3 * 5 * 8 + 3) + (3 * 3 * 27 + 3) + (3 * 2 + 2), report.params());

    DepGraph graph = DepGraph.of(net);
    MacReport pruned = MacCounter.count(graph.prune(graph.group("c2"), 1, 4), VOLUME);
    assertEquals(4L * 4 * 4 * 3 * 4 * 27, pruned.perLayer().get("c2"));
    assertEquals(4L * 4 * 4 * 3 * 3 * 8, pruned.perLayer().get("de"));
    assertEquals(report.params() - 2 * (4 * 27 + 1) - 2 * 3 * 8, pruned.params());
  }

  @Test
  void locallyConnectedLayersCountEveryPositionsOwnFilters() {
    var lc2d = (org.deeplearning4j.nn.graph.ComputationGraph) VolumeFixtures.locallyConnected2d().net();
    MacReport twoD = MacCounter.count(lc2d, InputType.convolutional(5, 5, 2));
    assertEquals(4L * 4 * 3 * 4 * 4, twoD.perLayer().get("lc")); // 4x4 positions, 3 filters, 4 inputs, 2x2
    // Weights [16 positions, 4 inputs x 2x2, 3 filters] and a bias per filter.
    assertEquals(16 * 16 * 3 + 3, lc2d.getLayer("lc").numParams());
    MacReport oneD = MacCounter.count(VolumeFixtures.locallyConnected1d().net(), InputType.recurrent(3, 10));
    assertEquals(10L * 4 * 3 * 3, oneD.perLayer().get("a")); // Convolution1D, length kept by Same mode
    assertEquals(8L * 4 * 4 * 3, oneD.perLayer().get("lc")); // 8 positions, 4 filters, 4 inputs, k=3
    assertEquals(3L * 3 * 4 * 3, oneD.perLayer().get("c")); // after cropping 8 to 6 and pooling to 3
  }

  @Test
  void elementWiseMultiplicationAndAutoencoderCountAsByHand() {
    MacReport report = MacCounter.count(VolumeFixtures.misc().net(), InputType.feedForward(4));
    assertEquals(Map.of("d", 20L, "ewm", 5L, "ae", 20L, "e", 12L, "out", 6L), report.perLayer());
    // ewm: W and b per channel; the autoencoder's visible bias (5) counts as a parameter too.
    assertEquals((4 * 5 + 5) + (5 + 5) + (5 * 4 + 4 + 5) + (4 * 3 + 3) + (3 * 2 + 2), report.params());
  }

  @Test
  void capsulesCountTheirConvolutionAndTheirRouting() {
    MacReport report = MacCounter.count(VolumeFixtures.capsules().net(), InputType.convolutional(6, 6, 1));
    Map<String, Long> expected = new LinkedHashMap<>();
    expected.put("a", 6L * 6 * 4 * 1 * 9);
    expected.put("caps", 4L * 4 * 2 * 3 * 4 * 9); // 4x4 positions, 2 channels x 3 dimensions, 4 inputs, 3x3
    long predictions = 32L * 3 * 4; // 32 input capsules x 3 capsules x 4 dimensions
    expected.put("routing", predictions * 3 + predictions * (2 * 2 - 1)); // 3 input dimensions, 2 routings
    expected.put("out", 3L * 2);
    assertEquals(expected, report.perLayer());
  }
}
