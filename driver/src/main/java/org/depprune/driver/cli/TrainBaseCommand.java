package org.depprune.driver.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.depprune.data.FashionMnist;
import org.depprune.model.BaseModel;
import org.depprune.model.TrainingProvenance;
import org.depprune.train.BaseModelTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code depprune train-base}: trains the base model and saves it with its provenance. */
@Command(
    name = "train-base",
    mixinStandardHelpOptions = true,
    description = "Train the residual CNN base model on Fashion-MNIST and save it as a DL4J zip.")
final class TrainBaseCommand implements Callable<Integer> {
  private static final BaseModel.Spec DEFAULTS = BaseModel.Spec.defaults();

  @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST IDX files (default: ${DEFAULT-VALUE}).")
  Path data = FashionMnist.DEBIAN_DIR;

  @Option(names = "--out", paramLabel = "FILE", description = "Where to save the model (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("models/base-resnet.zip");

  @Option(names = "--epochs", description = "Passes over the training split (default: ${DEFAULT-VALUE}).")
  int epochs = 8;

  @Option(names = "--batch-size", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
  int batchSize = 64;

  @Option(names = "--seed", description = "Weight-init and shuffling seed (default: ${DEFAULT-VALUE}).")
  long seed = DEFAULTS.seed();

  @Option(names = "--split-seed", description = "Train / validation split seed (default: ${DEFAULT-VALUE}).")
  long splitSeed = 42L;

  @Option(names = "--validation-size", description = "Training images held out for validation (default: ${DEFAULT-VALUE}).")
  int validationSize = BaseModelTraining.DEFAULT_VALIDATION_SIZE;

  @Option(names = "--width", description = "Channels of the first stage; the second has twice as many (default: ${DEFAULT-VALUE}).")
  int width = DEFAULTS.width();

  @Option(names = "--dense", description = "Units of the hidden dense layer (default: ${DEFAULT-VALUE}).")
  int dense = DEFAULTS.denseUnits();

  @Option(names = "--lr", description = "Adam's initial learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate = DEFAULTS.learningRate();

  @Option(names = "--lr-decay", description = "Learning-rate factor per epoch (default: ${DEFAULT-VALUE}).")
  double lrDecay = DEFAULTS.lrDecay();

  @Option(names = "--train-limit", paramLabel = "N", description = "Train on the first N training images only; 0 for all (default: ${DEFAULT-VALUE}).")
  int trainLimit = 0;

  @Spec CommandSpec commandSpec;

  @Mixin EngineOption engine;

  @Override
  public Integer call() throws Exception {
    engine.select();
    var spec = new BaseModel.Spec(width, dense, FashionMnist.NUM_CLASSES, seed, learningRate, lrDecay);
    TrainingProvenance result =
        BaseModelTraining.run(
            new BaseModelTraining.Settings(
                data, out, spec, epochs, batchSize, validationSize, splitSeed, trainLimit));
    commandSpec.commandLine().getOut().printf(
        "saved %s: validation accuracy %.4f, test accuracy %.4f (%d epochs on %d images)%n",
        out, result.validationAccuracy(), result.testAccuracy(), result.epochs(),
        result.trainedOnExamples());
    return 0;
  }
}
