package org.depprune.train;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.depprune.data.FashionMnist;
import org.depprune.data.BatchIterator;
import org.depprune.data.LabeledImages;
import org.depprune.data.Split;
import org.depprune.model.BaseModel;
import org.depprune.model.ModelFiles;
import org.depprune.model.TrainingProvenance;
import org.depprune.model.Versions;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recipe behind {@code depprune train-base}: read Fashion-MNIST, split the training images
 * into train and validation, train the {@link BaseModel}, measure validation and test accuracy,
 * and save the model with its {@link TrainingProvenance}.
 */
public final class BaseModelTraining {
  private static final Logger LOG = LoggerFactory.getLogger(BaseModelTraining.class);

  /** The default validation size: 6,000 of the 60,000 training images. */
  public static final int DEFAULT_VALIDATION_SIZE = 6_000;

  private BaseModelTraining() {}

  /**
   * What to train and where to put it.
   *
   * @param trainLimit use only the first {@code trainLimit} training indices (0: all), for quick
   *     runs
   */
  public record Settings(
      Path dataDir,
      Path out,
      BaseModel.Spec spec,
      int epochs,
      int batchSize,
      int validationSize,
      long splitSeed,
      int trainLimit) {
    public Settings {
      if (epochs <= 0) {
        throw new IllegalArgumentException("epochs must be positive, found " + epochs);
      }
      if (batchSize <= 0) {
        throw new IllegalArgumentException("batch size must be positive, found " + batchSize);
      }
      if (trainLimit < 0) {
        throw new IllegalArgumentException(
            "train limit must be 0 (all) or positive, found " + trainLimit);
      }
    }
  }

  /** Trains, evaluates and saves; returns the provenance written into the model file. */
  public static TrainingProvenance run(Settings settings) throws IOException {
    LabeledImages trainImages = FashionMnist.train(settings.dataDir());
    LabeledImages testImages = FashionMnist.test(settings.dataDir());
    Split split = Split.of(trainImages.size(), settings.validationSize(), settings.splitSeed());
    int[] train = split.train();
    if (settings.trainLimit() > 0 && settings.trainLimit() < train.length) {
      train = Arrays.copyOf(train, settings.trainLimit());
    }
    LOG.info(
        "training {} on {} images ({} validation, {} test) for {} epochs",
        settings.spec(), train.length, split.validation().length, testImages.size(),
        settings.epochs());

    ComputationGraph net = BaseModel.create(settings.spec());
    var trainData =
        BatchIterator.shuffled(trainImages, train, settings.batchSize(), settings.spec().seed());
    List<Double> losses = Trainer.fit(net, trainData, settings.epochs());

    double validationAccuracy =
        Evaluator.accuracy(net, BatchIterator.ordered(trainImages, split.validation(), 256));
    double testAccuracy = Evaluator.accuracy(net, BatchIterator.ordered(testImages, 256));
    LOG.info(
        "validation accuracy {}, test accuracy {}",
        String.format("%.4f", validationAccuracy), String.format("%.4f", testAccuracy));

    TrainingProvenance provenance =
        new TrainingProvenance(
            TrainingProvenance.FORMAT,
            "depprune-resnet",
            settings.spec(),
            settings.epochs(),
            settings.batchSize(),
            split.train().length,
            train.length,
            split.validation().length,
            settings.splitSeed(),
            losses,
            validationAccuracy,
            testAccuracy,
            settings.dataDir().toString(),
            Versions.all(),
            Instant.now().toString());
    ModelFiles.save(net, settings.out(), provenance);
    LOG.info("saved {}", settings.out());
    return provenance;
  }
}
