package org.depprune.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.depprune.data.FashionMnist;
import org.depprune.data.BatchIterator;
import org.depprune.graph.DepGraph;
import org.depprune.model.BaseModel;
import org.depprune.model.ModelFiles;
import org.depprune.model.TrainingProvenance;
import org.depprune.train.Evaluator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/** The committed base model is what its provenance and the README say it is. */
class CommittedBaseModelIT {
  private static final Path MODEL = Path.of("..", "models", "base-resnet.zip");

  @Test
  void theCommittedModelReachesItsRecordedTestAccuracy() throws Exception {
    TrainingProvenance provenance = ModelFiles.readProvenance(MODEL, TrainingProvenance.class);
    ComputationGraph net = (ComputationGraph) ModelFiles.load(MODEL);
    assertEquals(BaseModel.Spec.defaults(), provenance.spec());
    assertEquals(BaseModel.create(provenance.spec()).numParams(), net.numParams());
    assertEquals(54_000, provenance.trainExamples());
    assertEquals(54_000, provenance.trainedOnExamples());
    double test =
        Evaluator.accuracy(net, BatchIterator.ordered(FashionMnist.test(FashionMnist.DEBIAN_DIR), 500));
    assertEquals(provenance.testAccuracy(), test, 1e-9, "the recorded test accuracy is reproducible");
    assertTrue(test >= 0.91, "the base model reaches 91% test accuracy: " + test);
    assertEquals(5, DepGraph.of(net).prunableGroups().size());
  }
}
