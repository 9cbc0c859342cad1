package org.depprune.layers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.params.BidirectionalParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code Bidirectional}: a recurrent layer run forwards ({@code fwd}) and backwards ({@code bwd}),
 * both with the same {@code nOut = n}. Forward unit i and backward unit i are one channel: in
 * {@code CONCAT} mode the output's positions i and n + i, in {@code ADD}, {@code MUL} and
 * {@code AVERAGE} position i. Each direction is pruned by the wrapped layer's own pruner, on its
 * parameters (keys prefixed {@code f} and {@code b}).
 */
final class BidirectionalPruner implements LayerPruner<Bidirectional> {
  private static final String FWD = BidirectionalParamInitializer.FORWARD_PREFIX;
  private static final String BWD = BidirectionalParamInitializer.BACKWARD_PREFIX;
  private final PrunerRegistry registry;

  /** @param registry where the wrapped layers' pruners are looked up */
  BidirectionalPruner(PrunerRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Class<Bidirectional> type() {
    return Bidirectional.class;
  }

  /** The same pruner, looking the wrapped layer's pruner up in {@code other}. */
  BidirectionalPruner boundTo(PrunerRegistry other) {
    return new BidirectionalPruner(other);
  }

  private LayerPruner<Layer> inner(Bidirectional config) {
    Layer fwd = config.getFwd();
    return registry.layer(fwd).orElseThrow(() -> new IllegalArgumentException(
        "Bidirectional wraps a " + fwd.getClass().getSimpleName() + ", which has no LayerPruner;"
            + " register one for it with PrunerRegistry.register"));
  }

  private static boolean concat(Bidirectional config) {
    return config.getMode() == Bidirectional.Mode.CONCAT;
  }

  @Override
  public int[] connect(Bidirectional config, List<int[]> inputSlots, Slots slots) {
    if (registry.layer(config.getFwd()).isEmpty()) {
      // Like an unsupported layer: its channels are blocked with the reason, the graph still builds.
      long n = config.getFwd() instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer ff ? ff.getNOut() : -1;
      throw new Unmappable("Bidirectional wraps a " + config.getFwd().getClass().getSimpleName()
          + ", which has no LayerPruner; register one for it with PrunerRegistry.register",
          n <= 0 ? -1 : Math.toIntExact(concat(config) ? 2 * n : n));
    }
    int[] units = inner(config).connect(config.getFwd(), inputSlots, slots);
    if (!concat(config)) {
      return units;
    }
    int[] out = Arrays.copyOf(units, 2 * units.length);
    System.arraycopy(units, 0, out, units.length, units.length);
    return out;
  }

  /** A wrapped layer's configuration that cannot be pruned exactly cannot be here either. */
  @Override
  public java.util.Optional<String> refusal(Bidirectional config) {
    return registry.layer(config.getFwd()).flatMap(p -> p.refusal(config.getFwd()));
  }

  @Override
  public Map<String, Integer> outAxes(Bidirectional config) {
    return prefixed(inner(config).outAxes(config.getFwd()));
  }

  @Override
  public Map<String, Integer> inAxes(Bidirectional config) {
    return prefixed(inner(config).inAxes(config.getFwd()));
  }

  private static Map<String, Integer> prefixed(Map<String, Integer> axes) {
    Map<String, Integer> both = new LinkedHashMap<>();
    axes.forEach((key, axis) -> both.put(FWD + key, axis));
    axes.forEach((key, axis) -> both.put(BWD + key, axis));
    return both;
  }

  /** The kept units: in CONCAT mode the kept positions of the forward half. */
  private static int[] units(Bidirectional config, int[] keepOut) {
    if (!concat(config)) {
      return keepOut;
    }
    long n = config.getNOut() / 2;
    return Arrays.stream(keepOut).filter(p -> p < n).toArray();
  }

  @Override
  public void resize(Bidirectional config, List<int[]> keepIn, int[] keepOut) {
    LayerPruner<Layer> inner = inner(config);
    int[] units = units(config, keepOut);
    inner.resize(config.getFwd(), keepIn, units);
    inner.resize(config.getBwd(), keepIn, units);
  }

  @Override
  public Map<String, INDArray> slice(
      Bidirectional config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    LayerPruner<Layer> inner = inner(config);
    int[] units = units(config, keepOut);
    Map<String, INDArray> sliced = FeedForwardPruner.ordered();
    for (String prefix : List.of(FWD, BWD)) {
      Map<String, INDArray> direction = FeedForwardPruner.ordered();
      params.forEach((key, value) -> {
        if (key.startsWith(prefix)) {
          direction.put(key.substring(prefix.length()), value);
        }
      });
      Layer layer = prefix.equals(FWD) ? config.getFwd() : config.getBwd();
      inner.slice(layer, direction, keepIn, units).forEach((key, value) -> sliced.put(prefix + key, value));
    }
    if (sliced.size() != params.size()) {
      throw new IllegalArgumentException("Bidirectional parameters " + params.keySet()
          + " are not all prefixed '" + FWD + "' or '" + BWD + "'");
    }
    return sliced;
  }

  /** Both directions, plus one operation per output element to merge them (none to concat). */
  @Override
  public Cost cost(Bidirectional config, List<InputType> in, InputType out) {
    Cost one = inner(config).cost(config.getFwd(), in, out);
    long merge = concat(config) ? 0 : out.arrayElementsPerExample();
    return new Cost(2 * one.macs(), 2 * one.otherOps() + merge);
  }
}
