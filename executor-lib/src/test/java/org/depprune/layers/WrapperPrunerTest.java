package org.depprune.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
    var e = assertThrows(IllegalArgumentException.class, () -> registry.layer(bi).orElseThrow().connect(bi, in, slots));
    assertTrue(e.getMessage().contains("Bidirectional wraps a LSTM, which has no LayerPruner"), e.getMessage());
    LastTimeStep last = new LastTimeStep(new LSTM.Builder().nIn(3).nOut(2).build());
    e = assertThrows(IllegalArgumentException.class, () -> registry.layer(last).orElseThrow().connect(last, in, slots));
    assertTrue(e.getMessage().contains("LastTimeStep wraps a LSTM, which has no LayerPruner"), e.getMessage());
  }
}
