package org.depprune.pruning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;
import org.depprune.importance.GroupNormImportance;
import org.depprune.importance.MagnitudeImportance;
import org.depprune.metrics.MacCounter;
import org.depprune.model.BaseModel;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

class PrunerTest {
  private static final ComputationGraph BASE = BaseModel.create(BaseModel.Spec.defaults());
  private static final InputType MNIST = InputType.convolutional(28, 28, 1);

  private static Map<String, Integer> channels(Model net) {
    Map<String, Integer> counts = new java.util.TreeMap<>();
    DepGraph.of(net).prunableGroups().forEach(g -> counts.put(g.id(), g.channels()));
    return counts;
  }

  @Test
  void localPruningMatchesTheRatioPruner() {
    Model local = Pruner.builder(new MagnitudeImportance()).optRatio(0.5).build().run(BASE).network();
    Model simple = RatioPruner.prune(DepGraph.of(BASE), 0.5, new MagnitudeImportance()).network();
    assertEquals(simple.params(), local.params());
    assertEquals(Map.of("block1_conv1", 8, "block2_conv1", 16, "dense", 64, "down", 16, "stem", 8), channels(local));
  }

  @Test
  void roundToKeepsMultiples() {
    Model pruned = Pruner.builder(new MagnitudeImportance()).optRatio(0.6).optRoundTo(8).build().run(BASE).network();
    // 16 - floor(9.6) = 7 -> 8; 32 - floor(19.2) = 13 -> 16; 128 - floor(76.8) = 52 -> 56
    assertEquals(Map.of("block1_conv1", 8, "block2_conv1", 16, "dense", 56, "down", 16, "stem", 8), channels(pruned));
  }

  @Test
  void layerRatiosOverrideTheNetworkRatio() {
    Model pruned = Pruner.builder(new MagnitudeImportance())
        .optRatio(0.5).optLayerRatios(Map.of("dense", 0.25, "stem", 0.0)).build().run(BASE).network();
    assertEquals(Map.of("block1_conv1", 8, "block2_conv1", 16, "dense", 96, "down", 16, "stem", 16), channels(pruned));
    var e = assertThrows(IllegalArgumentException.class, () -> Pruner.builder(new MagnitudeImportance())
        .optLayerRatios(Map.of("dence", 0.3)).build().run(BASE));
    assertTrue(e.getMessage().contains("no layer or vertex named 'dence'"), e.getMessage());
  }

  @Test
  void globalPruningRemovesTheSameTotalUnevenly() {
    Model pruned = Pruner.builder(new GroupNormImportance()).optRatio(0.5).optGlobal(true).optMaxRatio(0.9).build().run(BASE).network();
    Map<String, Integer> counts = channels(pruned);
    int kept = counts.values().stream().mapToInt(Integer::intValue).sum();
    assertEquals((16 + 16 + 32 + 32 + 128) / 2, kept, "the total removed equals the local total");
    assertTrue(!counts.equals(channels(RatioPruner.prune(DepGraph.of(BASE), 0.5, new GroupNormImportance()).network())),
        "global ranking distributes the removals differently: " + counts);
    for (Group g : DepGraph.of(BASE).prunableGroups()) {
      assertTrue(counts.get(g.id()) >= g.channels() - (int) Math.floor(g.channels() * 0.9), g.id() + " respects the maximum ratio");
    }
  }

  @Test
  void iterativeStepsWithAFinetuneBetweenThem() {
    AtomicInteger finetunes = new AtomicInteger();
    Pruner.Result result = Pruner.builder(new MagnitudeImportance()).optRatio(0.5).optSteps(3)
        .optBetweenSteps(net -> {
          finetunes.incrementAndGet();
          return net;
        })
        .build().run(BASE);
    assertEquals(3, result.steps().size());
    assertEquals(2, finetunes.get());
    assertEquals(channels(RatioPruner.prune(DepGraph.of(BASE), 0.5, new MagnitudeImportance()).network()), channels(result.network()));
    // Replaying the steps in order rebuilds the same network.
    Model replay = BASE;
    for (var step : result.steps()) {
      replay = DepGraph.of(replay).prune(step);
    }
    assertEquals(result.network().params(), replay.params());
  }

  @Test
  void aMacsTargetIsReachedClosely() {
    Pruner.Result result = Pruner.builder(new MagnitudeImportance()).optTargetMacs(0.5).optInputTypes(MNIST).build().run(BASE);
    long base = MacCounter.count(BASE, MNIST).macs();
    long pruned = MacCounter.count(result.network(), MNIST).macs();
    assertTrue(pruned <= 0.5 * base, pruned + " <= half of " + base);
    assertTrue(pruned > 0.4 * base, "not far under the target: " + (double) pruned / base);
    assertEquals((double) pruned / base, result.macsKept(), 1e-12);
  }

  @Test
  void badOptionsAreRefused() {
    var imp = new MagnitudeImportance();
    assertError("pruning ratio must be in [0, 1), found 1.0", () -> Pruner.builder(imp).optRatio(1.0).build());
    assertError("ratio of layer 'dense' must be in [0, 1), found -0.1", () -> Pruner.builder(imp).optLayerRatios(Map.of("dense", -0.1)).build());
    assertError("maximum ratio per group must be in (0, 1], found 0.0", () -> Pruner.builder(imp).optMaxRatio(0).build());
    assertError("round-to must be at least 1, found 0", () -> Pruner.builder(imp).optRoundTo(0).build());
    assertError("steps must be at least 1, found 0", () -> Pruner.builder(imp).optSteps(0).build());
    assertError("a MACs target needs the input types", () -> Pruner.builder(imp).optTargetMacs(0.5).build());
    assertError("MACs target must be a share in (0, 1], found 1.5", () -> Pruner.builder(imp).optTargetMacs(1.5).optInputTypes(MNIST).build());
    assertError("MACs target 1.0% of the base is out of reach", () -> Pruner.builder(imp).optTargetMacs(0.01).optMaxRatio(0.5).optInputTypes(MNIST).build().run(BASE));
  }

  @Test
  void ignoredLayersKeepTheirChannels() {
    Model pruned = Pruner.builder(new MagnitudeImportance()).optIgnoredLayers(Set.of("dense")).build().run(BASE).network();
    assertEquals(Map.of("block1_conv1", 8, "block2_conv1", 16, "dense", 128, "down", 16, "stem", 8), channels(pruned));
  }

  private static void assertError(String expected, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
  }
}
