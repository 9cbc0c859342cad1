package org.depprune.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.depprune.data.FashionMnist;
import org.depprune.data.BatchIterator;
import org.depprune.data.LabeledImages;
import org.depprune.model.BaseModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/** Training the base model on the real Fashion-MNIST (Debian's data set). */
class TrainerIT {
  @Test
  void aShortTrainingRunLowersTheLoss() throws IOException {
    LabeledImages train = FashionMnist.train(FashionMnist.DEBIAN_DIR);
    int[] subset = new int[512];
    for (int i = 0; i < subset.length; i++) {
      subset[i] = i;
    }
    ComputationGraph net = BaseModel.create(new BaseModel.Spec(8, 32, 10, 1, 2e-3, 1.0));
    var data = BatchIterator.shuffled(train, subset, 64, 1);
    var held = BatchIterator.ordered(train, subset, 128);
    double before = Evaluator.loss(net, held);
    List<Double> losses = Trainer.fit(net, data, 3);
    double after = Evaluator.loss(net, held);
    assertEquals(3, losses.size());
    assertTrue(after < 0.8 * before, "loss " + before + " -> " + after);
    assertTrue(losses.get(2) < losses.get(0), "epoch losses " + losses);
    assertTrue(Evaluator.accuracy(net, held) > 0.5, "above chance (0.1) on its training images");
    assertEquals(3, net.getConfiguration().getEpochCount());
  }
}
