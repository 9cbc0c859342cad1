package org.depprune.driver.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;

/** The driver JVM's heap, for the last line of a run: what the driver itself needed. */
final class Heap {
  private Heap() {}

  /** Starts the peak from now. */
  static void resetPeak() {
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  /** The heap pools' peak usage, summed: an upper bound of the heap's peak (the pools peak at different times). */
  static long peakBytes() {
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
  }

  /** "peak heap at most N MB of -Xmx M MB". */
  static String describe() {
    return String.format(Locale.ROOT, "peak heap at most %.0f MB (the heap pools' peaks, summed) of -Xmx %.0f MB",
        peakBytes() / 1e6, Runtime.getRuntime().maxMemory() / 1e6);
  }
}
