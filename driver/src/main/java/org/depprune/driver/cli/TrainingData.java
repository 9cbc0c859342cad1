package org.depprune.driver.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.depprune.data.FashionMnist;
import org.depprune.data.ImageBatchIterator;
import org.depprune.data.LabeledImages;
import org.depprune.data.Split;
import org.depprune.train.BaseModelTraining;
import org.depprune.train.Trainer;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The Fashion-MNIST training split as the prune command uses it: calibration batches for
 * data-driven criteria and short finetunes between pruning steps (never the validation or test
 * images).
 */
record TrainingData(LabeledImages images, int[] train, long seed) {

  static TrainingData load(Path dir, long seed) throws IOException {
    LabeledImages images = FashionMnist.train(dir);
    Split split = Split.of(images.size(), BaseModelTraining.DEFAULT_VALIDATION_SIZE, 42L);
    return new TrainingData(images, split.train(), seed);
  }

  /** The first 512 training images, in batches of 64. */
  DataSetIterator calibration() {
    return ImageBatchIterator.ordered(images, Arrays.copyOf(train, 512), 64);
  }

  /** One pass over {@code examples} shuffled training images; returns the same network. */
  Model finetune(Model net, int examples) {
    int[] subset = Arrays.copyOf(train, Math.min(examples, train.length));
    Trainer.fit(net, ImageBatchIterator.shuffled(images, subset, 64, seed), 1);
    return net;
  }
}
