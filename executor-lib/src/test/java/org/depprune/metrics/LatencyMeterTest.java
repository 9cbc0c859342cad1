package org.depprune.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.depprune.model.BaseModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** The settling warm-up of the budgeted measurement, and training throughput. */
class LatencyMeterTest {
  private static final ComputationGraph NET = BaseModel.create(BaseModel.Spec.defaults());

  @Test
  void warmUpRunsUntilItsSecondHalfAgreesWithTheQuarterBeforeOrItsHalfBudgetIsSpent() {
    List<Integer> passes = new ArrayList<>();
    List<Double> times = new ArrayList<>();
    LatencyMeter.Latency latency = LatencyMeter.measure(NET, Nd4j.rand(2, 1, 28, 28), 30, 25, Duration.ofSeconds(8),
        (pass, millis) -> {
          passes.add(pass);
          times.add(millis);
        });
    int w = latency.warmupPasses();
    assertTrue(w >= 30, "at least the minimum warm-up: " + w);
    assertEquals(w + latency.runs(), passes.size());
    assertEquals(-1, passes.get(0), "warm-up passes count down from -1");
    assertEquals(-w, passes.get(w - 1));
    assertEquals(0, passes.get(w), "timed passes count up from 0");
    double warmupMillis = times.subList(0, w).stream().mapToDouble(Double::doubleValue).sum();
    // It ran at least a quarter of the budget (2 s) of passes, which take milliseconds.
    assertTrue(warmupMillis >= 2000 * 0.9, "warm-up time " + warmupMillis + " ms");
    // Whether the pass time settles on this machine is the machine's business; what must hold is
    // the rule: it settled at a window check whose halves agree (and at no earlier check after a
    // quarter of the budget), or it ran out of half the budget.
    if (latency.settled()) {
      assertEquals(0, w % LatencyMeter.SETTLE_WINDOW);
      assertTrue(agree(times, w), "settled at " + w);
    } else {
      assertTrue(warmupMillis >= 4000 * 0.9, "unsettled only after half the budget: " + warmupMillis + " ms");
    }
    // Median, 90th percentile and minimum of the timed passes, recomputed from what progress heard.
    List<Double> timed = new ArrayList<>(times.subList(w, times.size()));
    timed.sort(null);
    int n = timed.size();
    assertEquals(timed.get(n / 2), latency.medianMillis());
    assertEquals(timed.get(Math.min(n - 1, (int) Math.ceil(0.9 * n) - 1)), latency.p90Millis(), "nearest rank");
    assertEquals(timed.get(0), latency.minMillis());
  }

  @Test
  void theSettlingRuleComparesTheSecondHalfWithTheQuarterBefore() {
    List<Double> drifting = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      drifting.add(10.0 - 0.1 * i); // a slow drift: the halves differ by more than 3%
    }
    assertFalse(LatencyMeter.settledAfter(drifting));
    List<Double> flat = new ArrayList<>(drifting.subList(0, 10));
    for (int i = 10; i < 40; i++) {
      flat.add(5.0 + (i % 2 == 0 ? 0.05 : -0.05));
    }
    assertTrue(LatencyMeter.settledAfter(flat), "the second half agrees with the quarter before within 3%");
  }

  @Test
  void aBudgetTooShortToSettleSaysSoAndStillTimesAPass() {
    LatencyMeter.Latency latency =
        LatencyMeter.measure(NET, Nd4j.rand(2, 1, 28, 28), 20, 10, Duration.ofNanos(1), (pass, millis) -> {});
    assertFalse(latency.settled());
    assertEquals(0, latency.warmupPasses());
    assertEquals(1, latency.runs());
  }

  @Test
  void trainingThroughputTrainsACopyAtTheGivenBatch() {
    ComputationGraph copy = NET.clone();
    var before = copy.params().dup();
    TrainingThroughput.Throughput t = TrainingThroughput.measure(copy, new long[] {1, 28, 28}, 16, 1, 4, 3);
    assertEquals(16, t.batchSize());
    assertEquals(4, t.steps());
    assertFalse(before.equals(copy.params()), "the steps trained the network");
    assertEquals(before, NET.params().reshape(before.shape()), "the original is untouched");
    // Four steps of 16 examples at about the median step's pace (the mean step is within 3x of it).
    double fromMedian = 16 * 1000 / t.medianStepMillis();
    assertTrue(t.examplesPerSecond() > fromMedian / 3 && t.examplesPerSecond() < fromMedian * 3,
        t.examplesPerSecond() + " against " + fromMedian);
  }

  private static boolean agree(List<Double> times, int n) {
    double recent = median(times.subList(n / 2, n));
    double before = median(times.subList(n / 4, n / 2));
    return Math.abs(recent - before) <= LatencyMeter.SETTLE_TOLERANCE * before;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }
}
