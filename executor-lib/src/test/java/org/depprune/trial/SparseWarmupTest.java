package org.depprune.trial;

import org.depprune.backend.CpuEngine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.depprune.data.Examples;
import org.depprune.train.TinyClassifier;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/** The sparse warm-up trains with its penalty, on the plan's own ratios, and leaves no listener behind. */
class SparseWarmupTest {
  private static final TrialSettings SETTINGS = new TrialSettings(List.of((long) TinyClassifier.FEATURES), false,
      16, 1, 16, 1, 0, 1, 1, List.of(), 1, 1, 0, CpuEngine.ONEDNN, org.depprune.train.FinetuneRecipe.model());
  private static final Plan PLAN = new Plan("magnitude", Map.of("hidden", 0.5));

  /** The hidden layer's weights' squared norm after a warm-up (null: plain training, no penalty). */
  private static double hiddenNorm(SparseWarmup warmup) {
    ComputationGraph net = TinyClassifier.graph(3);
    Examples data = TinyClassifier.blobs(256, 7);
    int[] order = IntStream.range(0, 256).toArray();
    if (warmup == null) {
      new SparseWarmup("group-lasso", 256, 1e-12).train(net, PLAN, SETTINGS, data, order);
    } else {
      warmup.train(net, PLAN, SETTINGS, data, order);
    }
    assertTrue(net.getListeners() == null || net.getListeners().isEmpty(), "the penalty is removed after");
    return net.getLayer("hidden").getParam("W").norm2Number().doubleValue();
  }

  @Test
  void bothPenaltiesShrinkTheWeightsTheyAimAt() {
    double plain = hiddenNorm(null);
    double lasso = hiddenNorm(SparseWarmup.parse("group-lasso/256/0.05"));
    double growing = hiddenNorm(SparseWarmup.parse("growing-reg/256/0.05"));
    assertTrue(lasso < 0.9 * plain, "group lasso: " + lasso + " against " + plain);
    assertTrue(growing < plain, "growing regularisation: " + growing + " against " + plain);
  }

  @Test
  void aBadOptionValueSaysWhatItShouldRead() {
    assertEquals(new SparseWarmup("group-lasso", 2048, 1e-4), SparseWarmup.parse("group-lasso/2048/1.0E-4"));
    var e = assertThrows(IllegalArgumentException.class, () -> SparseWarmup.parse("group-lasso/2048"));
    assertTrue(e.getMessage().contains("must read method/images/strength"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SparseWarmup.parse("l1/10/0.1"));
    assertTrue(e.getMessage().contains("group-lasso or growing-reg"), e.getMessage());
  }
}
