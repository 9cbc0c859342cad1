package org.depprune.layers;

import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Recurrent layers whose hidden units are the OUT channels: {@code LSTM} (4 gates) and
 * {@code SimpleRnn} (1). Input weights {@code W [nIn, gates*n]}, recurrent weights
 * {@code RW [n, gates*n]} and bias {@code b [1, gates*n]} hold the gates side by side, so a
 * removed unit loses its row and column in every gate.
 */
final class RecurrentPruner<T extends FeedForwardLayer> extends FeedForwardPruner<T> {
  private final int gates;

  RecurrentPruner(Class<T> type, int gates) {
    super(type);
    this.gates = gates;
  }

  /** DL4J's SimpleRnn layer norm normalises over the units: removing one rescales the others. */
  @Override
  public java.util.Optional<String> refusal(T config) {
    if (config instanceof org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn rnn && rnn.hasLayerNorm()) {
      return java.util.Optional.of("its layer norm normalises each step over all " + rnn.getNOut()
          + " units, so removing one changes the others' values; build it without hasLayerNorm to prune it");
    }
    return java.util.Optional.empty();
  }

  @Override
  public Map<String, Integer> inAxes(T config) {
    return Map.of("W", 0);
  }

  @Override
  public Map<String, INDArray> slice(
      T config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    Map<String, INDArray> sliced = ordered();
    params.forEach(
        (key, value) ->
            sliced.put(
                key,
                switch (key) {
                  case "W" -> Slicing.keepPerBlock(Slicing.keep(value, 0, keepIn.get(0)), 1, gates, keepOut);
                  case "RW" -> Slicing.keepPerBlock(Slicing.keep(value, 0, keepOut), 1, gates, keepOut);
                  case "b" -> Slicing.keepPerBlock(value, value.rank() - 1, gates, keepOut);
                  default -> throw new IllegalArgumentException(
                      config.getClass().getSimpleName() + " parameter '" + key
                          + "' (layer norm or peepholes) is not supported by this pruner");
                }));
    return sliced;
  }

  /** {@code T gates n (n_in + n)}: every gate multiplies the input and the previous state. */
  @Override
  public Cost cost(T config, List<InputType> in, InputType out) {
    long n = config.getNOut();
    return Cost.macs(Costs.steps(in.get(0)) * gates * n * (config.getNIn() + n));
  }
}
