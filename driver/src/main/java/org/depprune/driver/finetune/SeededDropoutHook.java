package org.depprune.driver.finetune;

import java.util.SplittableRandom;
import org.apache.spark.TaskContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeds ND4J's random generator before each minibatch that a dl4j-spark worker trains on, so the
 * final finetune's dropout masks follow from the plan's seed. Without it they come from whatever
 * the executor thread drew before: ND4J's generator is per thread, Spark reuses its task threads,
 * and dl4j-spark's workers never seed it, so two runs of the same plan trained different models.
 *
 * <p>A step's seed mixes the averaging round's seed, the task's partition (one per worker) and
 * the step's index within the task. Each task deserialises its own copy of the hook, so the step
 * counter is the task's own.
 */
final class SeededDropoutHook implements TrainingHook {
  private final long roundSeed;
  private int step;

  SeededDropoutHook(long roundSeed) {
    this.roundSeed = roundSeed;
  }

  /** The seed of step {@code step} of partition {@code partition} in a round seeded {@code roundSeed}. */
  private static long stepSeed(long roundSeed, int partition, int step) {
    return new SplittableRandom(roundSeed ^ ((long) partition << 32 | step)).nextLong();
  }

  @Override
  public void preUpdate(MultiDataSet minibatch, Model model) {
    seed();
  }

  @Override
  public void preUpdate(DataSet minibatch, Model model) {
    seed();
  }

  private void seed() {
    TaskContext task = TaskContext.get();
    Nd4j.getRandom().setSeed(stepSeed(roundSeed, task == null ? 0 : task.partitionId(), step++));
  }

  @Override
  public void postUpdate(MultiDataSet minibatch, Model model) {}

  @Override
  public void postUpdate(DataSet minibatch, Model model) {}
}
