package org.depprune.driver.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.depprune.data.FashionMnist;
import org.depprune.data.BatchIterator;
import org.depprune.data.LabeledImages;
import org.depprune.data.SplitSpec;
import org.depprune.model.ModelFiles;
import org.depprune.train.Trainer;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The training images as the prune command uses them: calibration batches for data-driven
 * criteria and short finetunes between pruning steps, from the training part of the model's own
 * train / validation split (never its validation or test images).
 *
 * @param train the training part's indices into {@code images}
 * @param seed the finetune's shuffling seed
 */
record TrainingData(LabeledImages images, int[] train, SplitSpec split, long seed) {

  static TrainingData load(Path dir, SplitSpec split, long seed) throws IOException {
    LabeledImages images = FashionMnist.train(dir);
    return new TrainingData(images, split.apply(images.size()).train(), split, seed);
  }

  /**
   * The split to use: the one given on the command line, else the one the model records, else an
   * error that says how to give one ({@code model} names the model).
   */
  static SplitSpec resolve(Integer validationSize, Long splitSeed, Path modelFile, String model) throws IOException {
    if ((validationSize == null) != (splitSeed == null)) {
      throw new IllegalArgumentException("--validation-size and --split-seed go together: give both or neither");
    }
    if (validationSize != null) {
      return new SplitSpec(validationSize, splitSeed);
    }
    SplitSpec recorded = modelFile == null ? null : ModelFiles.recordedSplit(modelFile).orElse(null);
    if (recorded == null) {
      throw new IllegalArgumentException(model + " records no train / validation split; give --validation-size N"
          + " and --split-seed S (the split it was trained with) so that calibration and finetuning never read its"
          + " validation images");
    }
    return recorded;
  }

  /** The first 512 training images, in batches of 64. */
  DataSetIterator calibration() {
    return BatchIterator.ordered(images, Arrays.copyOf(train, Math.min(512, train.length)), 64);
  }

  /** One pass over {@code examples} shuffled training images; returns the same network. */
  Model finetune(Model net, int examples) {
    int[] subset = Arrays.copyOf(train, Math.min(examples, train.length));
    Trainer.fit(net, BatchIterator.shuffled(images, subset, 64, seed), 1);
    return net;
  }
}
