package org.depprune.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Graves' LSTM with peepholes: {@code GravesLSTM} (keys {@code W, RW, b}) and
 * {@code GravesBidirectionalLSTM} (the same per direction, suffixed {@code F} and {@code B}; its
 * output is the sum of both directions, so forward unit i and backward unit i are one channel).
 * Input weights {@code W [nIn, 4n]}, bias {@code b [4n]}, and recurrent weights
 * {@code RW [n, 4n + 3]}: the 4 gates side by side, then 3 peephole columns (forget, output,
 * input-modulation) whose row is the unit. A removed unit loses its row everywhere and its column
 * in every gate; the peephole columns stay.
 */
final class GravesLstmPruner<T extends BaseRecurrentLayer> extends FeedForwardPruner<T> {
  private static final int GATES = 4;
  private static final int PEEPHOLES = 3;
  private final List<String> directions;

  /** @param directions the key suffix of each direction: {@code ""}, or {@code "F", "B"} */
  GravesLstmPruner(Class<T> type, String... directions) {
    super(type);
    this.directions = List.of(directions);
  }

  @Override
  public Map<String, Integer> inAxes(T config) {
    Map<String, Integer> axes = new LinkedHashMap<>();
    directions.forEach(d -> axes.put("W" + d, 0));
    return axes;
  }

  @Override
  public Map<String, INDArray> slice(T config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    Map<String, INDArray> sliced = ordered();
    params.forEach((key, value) -> sliced.put(key, switch (kind(config, key)) {
      case "W" -> Slicing.keepPerBlock(Slicing.keep(value, 0, keepIn.get(0)), 1, GATES, keepOut);
      case "RW" -> Slicing.keep(Slicing.keep(value, 0, keepOut), 1, recurrentColumns(value.size(0), keepOut));
      default -> Slicing.keepPerBlock(value, value.rank() - 1, GATES, keepOut);
    }));
    return sliced;
  }

  /** {@code W}, {@code RW} or {@code b}: the key without its direction suffix. */
  private String kind(T config, String key) {
    for (String d : directions) {
      String base = key.substring(0, key.length() - d.length());
      if (key.endsWith(d) && List.of("W", "RW", "b").contains(base)) {
        return base;
      }
    }
    throw new IllegalArgumentException(config.getClass().getSimpleName() + " parameter '" + key
        + "' is not one this pruner knows (" + inAxes(config).keySet() + ", RW, b per direction)");
  }

  /** The kept gate columns of {@code RW [n, 4n + 3]}, then all 3 peephole columns. */
  private static int[] recurrentColumns(long n, int[] keepOut) {
    int[] columns = new int[GATES * keepOut.length + PEEPHOLES];
    int c = 0;
    for (int g = 0; g < GATES; g++) {
      for (int unit : keepOut) {
        columns[c++] = (int) (g * n + unit);
      }
    }
    for (int p = 0; p < PEEPHOLES; p++) {
      columns[c++] = (int) (GATES * n + p);
    }
    return columns;
  }

  /**
   * Per direction {@code T (4 n (n_in + n) + 3 n)}: 4 gates over input and state, and the 3
   * peepholes' element-wise products; a bidirectional one also adds the directions (other ops).
   */
  @Override
  public Cost cost(T config, List<InputType> in, InputType out) {
    long n = config.getNOut();
    long steps = Costs.steps(in.get(0));
    long perDirection = steps * (GATES * n * (config.getNIn() + n) + PEEPHOLES * n);
    long merge = directions.size() > 1 ? steps * n : 0;
    return new Cost(directions.size() * perDirection, merge);
  }
}
