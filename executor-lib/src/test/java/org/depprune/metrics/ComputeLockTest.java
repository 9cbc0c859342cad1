package org.depprune.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.depprune.data.BatchIterator;
import org.depprune.train.TinyClassifier;
import org.depprune.train.Trainer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link ComputeLock} with real threads and a real DL4J network: a latency measurement runs
 * between two training minibatches of another thread, never during one, and training resumes.
 */
class ComputeLockTest {
  private static final int BATCH = 16;
  private static final int BATCHES = 40;
  /** The minibatch during which the measuring thread asks for the machine. */
  private static final int HANDOVER = 5;
  /** Guards against a deadlock hanging the build; not a timing assertion. */
  private static final long DEADLOCK_SECONDS = 120;

  /** One minibatch's time inside the shared side, from its forward pass to its update. */
  private record Interval(long start, long end) {}

  @Test
  void aMeasurementWaitsForTheMinibatchInFlightAndTrainingResumesAfterIt() throws Exception {
    MultiLayerNetwork trained = TinyClassifier.mlp(1);
    MultiLayerNetwork measured = TinyClassifier.mlp(2);
    INDArray input = Nd4j.rand(8, TinyClassifier.FEATURES);
    var data = BatchIterator.ordered(TinyClassifier.blobs(BATCH * BATCHES, 3), BATCH);

    CountDownLatch asking = new CountDownLatch(1);
    AtomicReference<ComputeLock.Exclusive<LatencyMeter.Latency>> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread measurer = new Thread(() -> {
      try {
        assertTrue(asking.await(DEADLOCK_SECONDS, TimeUnit.SECONDS), "the trainer reached the hand-over");
        result.set(LatencyMeter.measureAlone(measured, input, 3, 20));
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      }
    }, "measurer");

    // Written by the trainer thread only, read after join (which orders the writes before the reads).
    List<Interval> minibatches = new ArrayList<>();
    trained.setListeners(new BaseTrainingListener() {
      long start;

      @Override
      public void onForwardPass(Model model, List<INDArray> activations) {
        start = System.nanoTime();
      }

      @Override
      public void iterationDone(Model model, int iteration, int epoch) {
        if (minibatches.size() == HANDOVER) {
          // Still inside this minibatch's shared section: let the measurer ask, and stay until it
          // is queued for the lock (or, were the lock broken, has measured anyway).
          asking.countDown();
          awaitQueuedOrDone(measurer);
        }
        minibatches.add(new Interval(start, System.nanoTime()));
      }
    });
    Thread trainer = new Thread(() -> {
      try {
        Trainer.fit(trained, data, 1);
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      }
    }, "trainer");

    measurer.start();
    trainer.start();
    trainer.join(TimeUnit.SECONDS.toMillis(DEADLOCK_SECONDS));
    measurer.join(TimeUnit.SECONDS.toMillis(DEADLOCK_SECONDS));
    assertFalse(trainer.isAlive() || measurer.isAlive(), "both threads finished (no deadlock)");
    if (failure.get() != null) {
      throw new AssertionError("a thread failed", failure.get());
    }

    var alone = result.get();
    assertEquals(20, alone.value().runs());
    assertEquals(0, alone.concurrentHolders(), "no minibatch held the shared side while measuring");
    assertTrue(alone.waitMillis() > 0, "the measurement waited for the minibatch in flight");
    assertEquals(BATCHES, minibatches.size());
    int before = 0;
    int after = 0;
    for (int i = 0; i < minibatches.size(); i++) {
      Interval m = minibatches.get(i);
      boolean isBefore = m.end() < alone.heldFromNanos();
      boolean isAfter = m.start() > alone.heldToNanos();
      assertTrue(isBefore || isAfter, "minibatch " + i + " " + m + " overlaps the measurement ["
          + alone.heldFromNanos() + ", " + alone.heldToNanos() + "]");
      before += isBefore ? 1 : 0;
      after += isAfter ? 1 : 0;
    }
    // Fair lock: the queued measurement goes right after the minibatch it waited for, and the
    // trainer, queued behind it, resumes once it is done.
    assertEquals(HANDOVER + 1, before, "minibatches before the measurement (the last one it waited for)");
    assertEquals(BATCHES - HANDOVER - 1, after, "minibatches after it: training resumed");
  }

  @Test
  void askingForTheExclusiveSideWhileHoldingTheSharedSideIsAnError() {
    // Preemptive timeout: without the check this would not throw but wait for itself forever.
    var e = assertTimeoutPreemptively(Duration.ofSeconds(DEADLOCK_SECONDS), () -> assertThrows(
        IllegalStateException.class, () -> ComputeLock.shared(() -> ComputeLock.exclusive(() -> 1))));
    assertTrue(e.getMessage().contains("holds the shared side"), e.getMessage());
    assertTrue(e.getMessage().contains("wait for itself"), e.getMessage());
    // Nothing leaked: the thread can take the exclusive side once out of the shared one.
    assertEquals(2, ComputeLock.exclusive(() -> 2).value());
  }

  @Test
  void theExclusiveHolderMayComputeAndMeasureAgain() {
    var inner = ComputeLock.exclusive(() -> ComputeLock.shared(() -> ComputeLock.exclusive(() -> 3))).value();
    assertEquals(3, inner.value());
    assertEquals(0, inner.concurrentHolders(), "this thread's own shared hold is not someone else's");
  }

  @Test
  void measureAloneChecksItsArgumentsBeforeWaiting() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> LatencyMeter.measureAlone(TinyClassifier.mlp(1), Nd4j.rand(2, TinyClassifier.FEATURES), 1, 0));
    assertTrue(e.getMessage().contains("runs > 0"), e.getMessage());
  }

  private static void awaitQueuedOrDone(Thread measurer) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLOCK_SECONDS);
    while (!ComputeLock.isWaiting(measurer) && measurer.isAlive()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the measurer never queued for the lock");
      }
      Thread.onSpinWait();
    }
  }
}
