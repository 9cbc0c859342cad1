package org.depprune.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.TreeSet;
import org.depprune.layers.PrunerRegistry;
import org.junit.jupiter.api.Test;

/**
 * Every type DepPrune prunes is in at least one network of the dead-channel functional test: a
 * new pruner cannot join the registry without a fixture that checks its outputs.
 */
class FixtureCoverageTest {

  @Test
  void everyPrunedTypeIsInADeadChannelFixture() {
    Set<String> seen = new TreeSet<>();
    for (Fixtures.Fixture fixture : Fixtures.all()) {
      DepGraph graph = DepGraph.builder(fixture.net()).optRegistry(fixture.registry()).build();
      for (Node node : graph.nodesInOrder()) {
        if (node.config() != null) {
          seen.add(node.config().getClass().getName());
          wrapped(node.config(), seen);
        }
        if (node.preProcessor() != null) {
          seen.add(node.preProcessor().getClass().getName());
          if (node.preProcessor() instanceof org.deeplearning4j.nn.conf.preprocessor.ComposableInputPreProcessor c) {
            for (var member : c.getInputPreProcessors()) {
              seen.add(member.getClass().getName());
            }
          }
        }
      }
    }
    PrunerRegistry registry = PrunerRegistry.defaults();
    Set<String> pruned = new TreeSet<>();
    registry.layerTypes().forEach(t -> pruned.add(t.getName()));
    registry.preprocessorTypes().forEach(t -> pruned.add(t.getName()));
    pruned.removeAll(seen);
    // Pruned, but never exactly: LRN normalises each channel by its neighbours in channel order,
    // and removing a channel changes which channels are neighbours (see PassThroughFixtures).
    pruned.remove(org.deeplearning4j.nn.conf.layers.LocalResponseNormalization.class.getName());
    assertEquals(Set.of(), pruned, "pruned types that no dead-channel fixture holds");
  }

  private static void wrapped(Object config, Set<String> seen) {
    if (config instanceof org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional b) {
      seen.add(b.getFwd().getClass().getName());
    } else if (config instanceof org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer w) {
      seen.add(w.getUnderlying().getClass().getName());
      wrapped(w.getUnderlying(), seen);
    } else if (config instanceof org.deeplearning4j.nn.conf.graph.PreprocessorVertex v) {
      seen.add(v.getPreProcessor().getClass().getName());
    }
  }
}
