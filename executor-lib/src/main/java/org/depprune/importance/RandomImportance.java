package org.depprune.importance;

import java.util.SplittableRandom;
import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;

/**
 * Random scores, the baseline every criterion must beat. Seeded: the same seed and group give the
 * same scores (the group's id is mixed into the seed, so groups differ).
 */
public final class RandomImportance implements Importance {
  private final long seed;

  public RandomImportance(long seed) {
    this.seed = seed;
  }

  @Override
  public String name() {
    return "random";
  }

  @Override
  public double[] scores(DepGraph graph, Group group) {
    SplittableRandom random = new SplittableRandom(seed * 31 + group.id().hashCode());
    double[] scores = new double[group.channels()];
    for (int c = 0; c < scores.length; c++) {
      scores[c] = random.nextDouble();
    }
    return scores;
  }
}
