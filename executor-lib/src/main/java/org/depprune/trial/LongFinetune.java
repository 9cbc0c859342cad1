package org.depprune.trial;

import java.util.ArrayList;
import java.util.List;
import org.depprune.data.BatchIterator;
import org.depprune.data.ExampleSet;
import org.depprune.network.Seeds;
import org.depprune.train.Distillation;
import org.depprune.train.Evaluator;
import org.depprune.train.FinetuneRecipe;
import org.depprune.train.Trainer;
import org.deeplearning4j.nn.api.Model;

/**
 * The final finetune of one chosen plan by one worker: {@code epochs} passes over the whole
 * training split (a seeded reshuffle each pass), under one {@link FinetuneRecipe} session that
 * spans them all (so a cosine schedule falls once, from the peak rate at the first step to 0 at
 * the last), optionally distilling from the base model, with the validation loss after each pass.
 * Deterministic for a seed: the order, dropout masks and the recipe all derive from it.
 *
 * @param epochs passes over the training examples
 * @param batchSize examples per step
 * @param recipe the optimizer, peak rate and schedule
 * @param epochDecay 1, or the factor by which each epoch's rate falls from the one before (then
 *     each epoch trains at a constant rate: the recipe's peak times epochDecay^epoch)
 * @param temperature the distillation temperature, or 0 for no distillation
 * @param alpha the distillation weight (ignored without distillation)
 * @param seed the seed of the order and the dropout masks
 */
public record LongFinetune(int epochs, int batchSize, FinetuneRecipe recipe, double epochDecay, double temperature,
    double alpha, long seed) implements java.io.Serializable {
  public LongFinetune {
    if (epochs < 1 || batchSize < 1) {
      throw new IllegalArgumentException("a final finetune needs epochs >= 1 and a batch size >= 1, found " + epochs
          + " and " + batchSize);
    }
    if (!(epochDecay > 0 && epochDecay <= 1)) {
      throw new IllegalArgumentException("the per-epoch decay must be in (0, 1], found " + epochDecay);
    }
  }

  private void epoch(Model student, Model base, BatchIterator batches, ExampleSet validation, List<Double> losses) {
    if (temperature > 0) {
      Distillation.fit(student, base, batches, 1, temperature, alpha);
    } else {
      Trainer.fit(student, batches, 1);
    }
    if (validation != null) {
      losses.add(Evaluator.loss(student, BatchIterator.ordered(validation, 500)));
    }
  }

  /**
   * Finetunes {@code student} in place on {@code train}.
   *
   * @param base the unpruned base model: where the recipe reads its rate, and the teacher when distilling
   * @param validation scored (loss) before and after each pass; null: no losses
   * @return the validation loss before the finetune and after each pass (empty without validation)
   */
  public List<Double> run(Model student, Model base, ExampleSet train, ExampleSet validation) {
    int[] all = java.util.stream.IntStream.range(0, train.size()).toArray();
    BatchIterator batches = BatchIterator.shuffled(train, all, batchSize, seed);
    long steps = (long) epochs * ((train.size() + batchSize - 1) / batchSize);
    List<Double> losses = new ArrayList<>();
    if (validation != null) {
      losses.add(Evaluator.loss(student, BatchIterator.ordered(validation, 500)));
    }
    Seeds.nd4j(seed);
    if (epochDecay == 1) {
      try (var session = recipe.start(student, base, steps)) {
        for (int epoch = 0; epoch < epochs; epoch++) {
          epoch(student, base, batches, validation, losses);
        }
      }
    } else {
      double peak = recipe.peakRate(base);
      for (int epoch = 0; epoch < epochs; epoch++) {
        FinetuneRecipe constant = new FinetuneRecipe(recipe.optimizer(), peak * Math.pow(epochDecay, epoch), 1,
            FinetuneRecipe.LrSchedule.CONSTANT, recipe.weightDecay());
        try (var session = constant.start(student, base, steps / epochs)) {
          epoch(student, base, batches, validation, losses);
        }
      }
    }
    return List.copyOf(losses);
  }
}
