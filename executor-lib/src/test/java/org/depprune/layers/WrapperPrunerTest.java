package org.depprune.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.junit.jupiter.api.Test;

/** Bidirectional and the wrappers: slot layout per mode, and the error for a wrapped layer without a pruner. */
class WrapperPrunerTest {

  @Test
  void concatRepeatsTheUnitsOtherModesShareThem() {
    PrunerRegistry registry = PrunerRegistry.defaults();
    Slots slots = new Slots();
    List<int[]> in = List.of(slots.fresh(3));
    Bidirectional concat = new Bidirectional(Bidirectional.Mode.CONCAT, new LSTM.Builder().nIn(3).nOut(2).build());
    int[] out = registry.layer(concat).orElseThrow().connect(concat, in, slots);
    assertArrayEquals(new int[] {out[0], out[1], out[0], out[1]}, out);
    Bidirectional add = new Bidirectional(Bidirectional.Mode.ADD, new LSTM.Builder().nIn(3).nOut(2).build());
    assertTrue(registry.layer(add).orElseThrow().connect(add, in, slots).length == 2);
  }

  @Test
  void aWrappedLayerWithoutAPrunerIsNamed() {
    PrunerRegistry registry = new PrunerRegistry();
    registry.register(new BidirectionalPruner(registry));
    registry.register(new WrapperPruner<>(LastTimeStep.class, registry));
    Slots slots = new Slots();
    List<int[]> in = List.of(slots.fresh(3));
    Bidirectional bi = new Bidirectional(new LSTM.Builder().nIn(3).nOut(2).build());
    Unmappable e = assertThrows(Unmappable.class, () -> registry.layer(bi).orElseThrow().connect(bi, in, slots));
    assertTrue(e.getMessage().contains("Bidirectional wraps a LSTM, which has no LayerPruner"), e.getMessage());
    assertEquals(4, e.outWidth(), "CONCAT: both directions' 2 units stay, blocked");
    LastTimeStep last = new LastTimeStep(new LSTM.Builder().nIn(3).nOut(2).build());
    e = assertThrows(Unmappable.class, () -> registry.layer(last).orElseThrow().connect(last, in, slots));
    assertTrue(e.getMessage().contains("LastTimeStep wraps a LSTM, which has no LayerPruner"), e.getMessage());
    assertEquals(2, e.outWidth());
  }

  /** A wrapper around a layer without a pruner blocks its channels, like an unsupported layer; the rest still prunes. */
  @Test
  void aGraphWithAnUnprunableWrappedLayerStillBuilds() {
    var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(1).list()
        .layer(new LSTM.Builder().nIn(4).nOut(6).build())
        .layer(new Bidirectional(Bidirectional.Mode.ADD,
            new org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn.Builder().nIn(6).nOut(5).build()))
        .layer(new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder().nIn(5).nOut(3).build())
        .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.recurrent(4, 5)).build();
    var net = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(conf);
    net.init();
    PrunerRegistry registry = new PrunerRegistry(); // knows no SimpleRnn
    registry.register(new RecurrentPruner<>(LSTM.class, 4));
    registry.register(new DensePruner<>(org.deeplearning4j.nn.conf.layers.RnnOutputLayer.class));
    registry.register(new BidirectionalPruner(registry));
    var graph = org.depprune.graph.DepGraph.builder(net).optRegistry(registry).build();
    String why = graph.group("layer0").blocked().orElseThrow();
    assertTrue(why.contains("Bidirectional wraps a SimpleRnn, which has no LayerPruner"), why);
    assertTrue(graph.group("layer1").blocked().orElseThrow().contains("Bidirectional wraps a SimpleRnn"));
  }
}
