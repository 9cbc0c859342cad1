package org.depprune.driver.cli;

import java.util.Locale;

/**
 * The driver JVM's peak heap use, sampled every 50 ms by a daemon thread from {@link #start()}
 * on: what the driver (and, in local mode, the executors in it) needed at most, garbage included.
 */
final class Heap {
  private static final long PERIOD_MS = 50;
  private static volatile long peak;
  private static Thread sampler;

  private Heap() {}

  /** Starts sampling (again from zero). */
  static synchronized void start() {
    peak = used();
    if (sampler == null) {
      sampler = new Thread(() -> {
        while (true) {
          peak = Math.max(peak, used());
          try {
            Thread.sleep(PERIOD_MS);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "depprune-heap-sampler");
      sampler.setDaemon(true);
      sampler.start();
    }
  }

  private static long used() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  /** "peak heap N MB of -Xmx M MB". */
  static String describe() {
    peak = Math.max(peak, used());
    return String.format(Locale.ROOT, "peak heap %.0f MB (sampled every %d ms) of -Xmx %.0f MB", peak / 1e6,
        PERIOD_MS, Runtime.getRuntime().maxMemory() / 1e6);
  }
}
