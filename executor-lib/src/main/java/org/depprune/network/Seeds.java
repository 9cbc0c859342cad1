package org.depprune.network;

import java.util.SplittableRandom;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeding ND4J's random generator (the current thread's), which dropout masks and
 * {@code Nd4j.rand} draw from. The seed is mixed first: in ND4J 1.0.0-M2.1, {@code setSeed(0)}
 * does not restart the generator's stream (two draws after two {@code setSeed(0)} differ, after
 * {@code setSeed(42)} they agree), so a user's seed 0 would silently not reproduce.
 */
public final class Seeds {
  private Seeds() {}

  /** Restarts ND4J's generator at a stream determined by {@code seed}. */
  public static void nd4j(long seed) {
    Nd4j.getRandom().setSeed(new SplittableRandom(seed).nextLong());
  }
}
