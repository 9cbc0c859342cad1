package org.depprune.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GravesBidirectionalLSTM;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.junit.jupiter.api.Test;

/** The MACs rules of the recurrent layers and wrappers, against hand computations (T = 5, nIn = 3, n = 6). */
class RecurrentCostTest {
  private static final PrunerRegistry REGISTRY = PrunerRegistry.defaults();
  private static final InputType IN = InputType.recurrent(3, 5);

  private static Cost cost(Object config, InputType out) {
    return REGISTRY.cost(config).orElseThrow().cost(config, List.of(IN), out);
  }

  private static LSTM lstm() {
    return new LSTM.Builder().nIn(3).nOut(6).build();
  }

  @Test
  void gravesLstmCountsGatesAndPeepholes() {
    long one = 5 * (4 * 6 * (3 + 6) + 3 * 6);
    assertEquals(new Cost(one, 0), cost(new GravesLSTM.Builder().nIn(3).nOut(6).build(), InputType.recurrent(6, 5)));
    assertEquals(new Cost(2 * one, 5 * 6),
        cost(new GravesBidirectionalLSTM.Builder().nIn(3).nOut(6).build(), InputType.recurrent(6, 5)));
  }

  @Test
  void bidirectionalCountsBothDirectionsAndTheMerge() {
    long lstm = 5 * 4 * 6 * (3 + 6);
    assertEquals(new Cost(2 * lstm, 0),
        cost(new Bidirectional(Bidirectional.Mode.CONCAT, lstm()), InputType.recurrent(12, 5)));
    for (Bidirectional.Mode mode : List.of(Bidirectional.Mode.ADD, Bidirectional.Mode.MUL, Bidirectional.Mode.AVERAGE)) {
      assertEquals(new Cost(2 * lstm, 5 * 6), cost(new Bidirectional(mode, lstm()), InputType.recurrent(6, 5)), mode.name());
    }
    long rnn = 5 * 6 * (3 + 6);
    assertEquals(new Cost(2 * rnn, 5 * 6),
        cost(new Bidirectional(Bidirectional.Mode.ADD, new SimpleRnn.Builder().nIn(3).nOut(6).build()), InputType.recurrent(6, 5)));
  }

  @Test
  void wrappersCostWhatTheyWrap() {
    assertEquals(new Cost(5 * 4 * 6 * (3 + 6), 0), cost(new LastTimeStep(lstm()), InputType.feedForward(6)));
    assertEquals(new Cost(5 * 3 * 6, 0),
        cost(new TimeDistributed(new DenseLayer.Builder().nIn(3).nOut(6).build()), InputType.recurrent(6, 5)));
  }
}
