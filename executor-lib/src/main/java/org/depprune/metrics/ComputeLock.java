package org.depprune.metrics;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Keeps latency measurements apart from DepPrune's other compute in the same JVM. A Spark
 * executor runs several trials at once (one per task thread); if one trial times its forward
 * passes while another trains on the next core, the two share caches, memory bandwidth and
 * ND4J's thread pool, and latencies stop being comparable between result rows.
 *
 * <p>A fair read-write lock settles it. Compute work takes the <em>shared</em> side for one unit
 * at a time (one training minibatch, one evaluation batch, one calibration batch), so any number
 * of trials compute together as before. A latency measurement takes the <em>exclusive</em> side
 * for its whole warm-up and timed passes: it waits for the minibatches in flight to finish, and
 * because the lock is fair no new unit starts while it waits or measures; when it is done the
 * queued units go on. A trainer therefore pauses for at most one measurement between two
 * minibatches, and a measurement waits for at most one unit per computing thread.
 *
 * <pre>{@code
 * ComputeLock.shared(() -> net.fit(batch));                            // one minibatch
 * ComputeLock.Exclusive<Double> t = ComputeLock.exclusive(() -> time(net, input));
 * t.value(); t.waitMillis(); t.concurrentHolders();                    // 0, always
 * }</pre>
 *
 * <p><b>Why a static.</b> DepPrune otherwise keeps no global state, but this lock exists to
 * coordinate code that shares nothing else: trials in different Spark tasks hold no common object,
 * only the JVM. There must be exactly one per JVM, and a static field is the JVM-wide singleton.
 * It holds no data, only who is computing now.
 *
 * <p><b>Reentrancy.</b> The thread holding the exclusive side may take the shared side (an
 * evaluation inside a measurement) or the exclusive side again. A thread holding the shared side
 * may not take the exclusive side: it would wait for itself forever, so {@link #exclusive} throws
 * {@link IllegalStateException} instead.
 *
 * <p><b>What it does not cover.</b> Only work that goes through {@link #shared} pauses: compute
 * outside it (pruning's rebuild, importance scores, data decoding and prefetch threads, the
 * garbage collector, JIT compilation) and other processes (a second executor JVM on the same
 * host) still run during a measurement. Waits are not interruptible: they are bounded by one unit
 * of work or one measurement.
 */
public final class ComputeLock {
  /** The one lock of this JVM: fair, so a queued measurement is not overtaken by new units. */
  private static final ReentrantReadWriteLock LOCK = new ReentrantReadWriteLock(true);

  private ComputeLock() {}

  /**
   * What ran under the exclusive side and how it went.
   *
   * @param value what the work returned
   * @param waitMillis how long the caller waited for the lock (the units in flight finishing)
   * @param concurrentHolders the most shared holds by other threads seen just after the lock was
   *     taken and just before it was released: 0 unless the lock is broken; a result row can carry
   *     it as evidence
   * @param heldFromNanos {@link System#nanoTime()} when the work started, the lock held
   * @param heldToNanos {@link System#nanoTime()} when the work ended, the lock still held; both
   *     are comparable only with other readings in this JVM (logs, a trainer's batch times)
   */
  public record Exclusive<T>(T value, double waitMillis, int concurrentHolders, long heldFromNanos, long heldToNanos) {
    /** How long the work held the machine to itself. */
    public double heldMillis() {
      return (heldToNanos - heldFromNanos) / 1e6;
    }
  }

  /** Runs one unit of compute (a minibatch, an evaluation or calibration batch) under the shared side. */
  public static <T> T shared(Supplier<T> work) {
    LOCK.readLock().lock();
    try {
      return work.get();
    } finally {
      LOCK.readLock().unlock();
    }
  }

  /** {@link #shared(Supplier)} for work without a result. */
  public static void shared(Runnable work) {
    shared(() -> {
      work.run();
      return null;
    });
  }

  /**
   * Runs {@code work} with no other thread of this JVM inside {@link #shared}: waits for the units
   * in flight, then holds every new one back until {@code work} returns.
   *
   * @throws IllegalStateException if this thread is inside {@link #shared} (it would deadlock)
   */
  public static <T> Exclusive<T> exclusive(Supplier<T> work) {
    if (LOCK.getReadHoldCount() > 0 && !LOCK.isWriteLockedByCurrentThread()) {
      throw new IllegalStateException("thread '" + Thread.currentThread().getName()
          + "' asked for ComputeLock's exclusive side while it holds the shared side (it is inside a"
          + " training minibatch, an evaluation or a calibration batch, or a listener called from one):"
          + " it would wait for itself forever. Measure after that unit of work returns, e.g. after"
          + " Trainer.fit or Evaluator, not from a training listener.");
    }
    long asked = System.nanoTime();
    LOCK.writeLock().lock();
    try {
      long from = System.nanoTime();
      int before = otherSharedHolds();
      T value = work.get();
      int after = otherSharedHolds();
      long to = System.nanoTime();
      return new Exclusive<>(value, (from - asked) / 1e6, Math.max(before, after), from, to);
    } finally {
      LOCK.writeLock().unlock();
    }
  }

  /** Shared holds by threads other than this one (the lock's count includes this thread's own). */
  private static int otherSharedHolds() {
    return LOCK.getReadLockCount() - LOCK.getReadHoldCount();
  }

  /** Whether {@code thread} is queued for either side: lets tests hand over at a known point. */
  static boolean isWaiting(Thread thread) {
    return LOCK.hasQueuedThread(thread);
  }
}
