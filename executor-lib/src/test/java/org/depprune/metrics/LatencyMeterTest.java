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
  void warmUpRunsUntilItsSecondHalfAgreesWithTheQuarterBefore() {
    List<Integer> passes = new ArrayList<>();
    List<Double> times = new ArrayList<>();
    LatencyMeter.Latency latency = LatencyMeter.measure(NET, Nd4j.rand(2, 1, 28, 28), 30, 25, Duration.ofSeconds(20),
        (pass, millis) -> {
          passes.add(pass);
          times.add(millis);
        });
    assertTrue(latency.settled(), "a small model settles within 10 s of warm-up");
    assertTrue(latency.warmupPasses() >= 40, "at least 30 passes, checked every 20 from 40: " + latency.warmupPasses());
    assertEquals(0, latency.warmupPasses() % LatencyMeter.SETTLE_WINDOW);
    assertEquals(25, latency.runs());
    assertEquals(latency.warmupPasses() + 25, passes.size());
    assertEquals(-1, passes.get(0), "warm-up passes count down from -1");
    assertEquals(-latency.warmupPasses(), passes.get(latency.warmupPasses() - 1));
    assertEquals(0, passes.get(latency.warmupPasses()), "timed passes count up from 0");
    // The warm-up's second half agrees with the quarter before it, and had not at any earlier check.
    int w = latency.warmupPasses();
    assertTrue(agree(times, w), "settled at " + w);
    // It ran at least a quarter of the budget (5 s) of passes, which take milliseconds.
    assertTrue(times.subList(0, w).stream().mapToDouble(Double::doubleValue).sum() >= 5000 * 0.9,
        "warm-up time " + times.subList(0, w).stream().mapToDouble(Double::doubleValue).sum() + " ms");
    // Median, 90th percentile and minimum of the timed passes, recomputed from what progress heard.
    List<Double> timed = new ArrayList<>(times.subList(w, times.size()));
    timed.sort(null);
    assertEquals(timed.get(12), latency.medianMillis());
    assertEquals(timed.get(22), latency.p90Millis(), "nearest rank: the 23rd of 25");
    assertEquals(timed.get(0), latency.minMillis());
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
