package org.depprune.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.depprune.data.BatchIterator;
import org.depprune.data.FashionMnist;
import org.depprune.data.LabeledImages;
import org.depprune.data.Shuffle;
import org.depprune.data.Split;
import org.depprune.importance.MagnitudeImportance;
import org.depprune.model.ModelFiles;
import org.depprune.network.Network;
import org.depprune.pruning.Pruner;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The committed base model, pruned by 50% in every group, finetuned on 512 Fashion-MNIST
 * training images with the unpruned base as teacher, and scored on 500 of the validation images
 * the base never trained on; the same finetune without distillation is printed beside it.
 */
class DistillationIT {
  private static final Path BASE = Path.of("..", "models", "base-resnet.zip");
  private static final long SEED = 11;
  private static final double TEMPERATURE = 4;
  private static final double ALPHA = 0.7;

  @Test
  void distillingIntoAPrunedBaseModel() throws IOException {
    LabeledImages images = FashionMnist.train(FashionMnist.DEBIAN_DIR);
    Split split = ModelFiles.recordedSplit(BASE).orElseThrow().apply(images.size());
    int[] finetune = Arrays.copyOf(Shuffle.shuffled(split.train(), new SplittableRandom(SEED)), 512);
    int[] held = Arrays.copyOf(split.validation(), 500);
    var heldOut = BatchIterator.ordered(images, held, 250);

    Model teacher = ModelFiles.load(BASE);
    double teacherAccuracy = Evaluator.accuracy(teacher, heldOut);
    double prunedAccuracy = Evaluator.accuracy(pruned(), heldOut);

    Model plain = pruned();
    Nd4j.getRandom().setSeed(SEED);
    List<Double> plainLosses = Trainer.fit(plain, BatchIterator.ordered(images, finetune, 64), 1);
    double plainAccuracy = Evaluator.accuracy(plain, heldOut);

    Model student = pruned();
    Nd4j.getRandom().setSeed(SEED);
    List<Double> distilLosses = Distillation.fit(
        student, teacher, BatchIterator.ordered(images, finetune, 64), 1, TEMPERATURE, ALPHA);
    double distilAccuracy = Evaluator.accuracy(student, heldOut);

    System.out.printf(
        "DistillationIT: 500 held-out images: teacher %.3f, pruned 50%% %.3f, finetuned on 512: plain %.3f"
            + " (loss %.4f), distilled T=%.0f alpha=%.1f %.3f (loss %.4f)%n",
        teacherAccuracy, prunedAccuracy, plainAccuracy, plainLosses.get(0), TEMPERATURE, ALPHA,
        distilAccuracy, distilLosses.get(0));
    assertTrue(distilAccuracy > 0.5, "well above chance (0.1): " + distilAccuracy);
    assertInstanceOf(LossMCXENT.class, Distillation.softmaxOutput(Network.of(student), "student").getLossFn());
    assertEquals(ModelFiles.load(BASE).params(), teacher.params(), "the teacher is never trained");
  }

  /** A fresh copy of the base, pruned by 50% in every group by weight magnitude. */
  private static Model pruned() throws IOException {
    return Pruner.builder(new MagnitudeImportance())
        .optRatio(0.5)
        .optInputTypes(InputType.convolutional(FashionMnist.ROWS, FashionMnist.COLS, 1))
        .build()
        .run(ModelFiles.load(BASE))
        .network();
  }
}
