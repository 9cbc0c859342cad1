package org.depprune.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.depprune.data.BatchIterator;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/** A finetune recipe sets the rate, schedule, optimizer and weight decay it says, and puts the model's own back. */
class FinetuneRecipeTest {
  private static BaseLayer hidden(ComputationGraph net) {
    return (BaseLayer) net.getLayer("hidden").conf().getLayer();
  }

  /** A trained-looking graph: Adam decaying from 1e-2 by 0.5 per epoch, 3 epochs and 30 steps done. */
  private static ComputationGraph trainedFor3Epochs() {
    ComputationGraph net = TinyClassifier.graph(7);
    net.setLearningRate(new ExponentialSchedule(ScheduleType.EPOCH, 1e-2, 0.5));
    net.getConfiguration().setEpochCount(3);
    net.getConfiguration().setIterationCount(30);
    return net;
  }

  @Test
  void theRateIsWhereTrainingEndedTimesTheFactorAndNeverAboveWhereItStarted() {
    ComputationGraph base = trainedFor3Epochs();
    // ended at 1e-2 * 0.5^3 = 1.25e-3; started at 1e-2
    assertEquals(1.25e-3 * 3, FinetuneRecipe.builder().optLrFactor(3).build().peakRate(base), 1e-12);
    assertEquals(1e-2, FinetuneRecipe.builder().optLrFactor(20).build().peakRate(base), 1e-12, "capped at the start");
    assertEquals(5e-4, FinetuneRecipe.builder().optLearningRate(1e-3).optLrFactor(0.5).build().peakRate(base), 1e-12);
    assertEquals(1.25e-3, FinetuneRecipe.endRateOf(base), 1e-12);
  }

  @Test
  void cosineFallsFromTheRateToZeroOverTheStepsFromWhereverTheCounterStands() {
    ComputationGraph base = trainedFor3Epochs();
    ComputationGraph net = base.clone();
    net.getConfiguration().setIterationCount(100); // a copy whose counter stands elsewhere
    FinetuneRecipe recipe = FinetuneRecipe.builder().optLrFactor(2).optSchedule(FinetuneRecipe.LrSchedule.COSINE).build();
    try (var session = recipe.start(net, base, 10)) {
      IUpdater u = hidden(net).getIUpdater();
      assertInstanceOf(Adam.class, u, "the model's own optimizer");
      assertEquals(2.5e-3, u.getLearningRate(100, 0), 1e-12, "step 0: the peak");
      assertEquals(2.5e-3 * 0.5, u.getLearningRate(105, 0), 1e-12, "half way: half the peak");
      assertEquals(2.5e-3 * 0.5 * (1 + Math.cos(Math.PI * 0.3)), u.getLearningRate(103, 0), 1e-12);
      assertEquals(0, u.getLearningRate(110, 0), 1e-12, "the last step ends at 0");
    }
    IUpdater restored = hidden(net).getIUpdater();
    assertEquals(new ExponentialSchedule(ScheduleType.EPOCH, 1e-2, 0.5), ((Adam) restored).getLearningRateSchedule(),
        "the model's own schedule is back");
    assertTrue(net.getConfiguration().toJson().contains("ExponentialSchedule"));
    assertTrue(!net.getConfiguration().toJson().contains("StepsSchedule"), "no DepPrune class in the saved config");
  }

  @Test
  void anotherOptimizerAndWeightDecayReplaceTheModelsForTheFinetuneOnly() {
    MultiLayerNetwork net = TinyClassifier.mlp(3);
    BaseLayer first = (BaseLayer) net.getLayer(0).conf().getLayer();
    var ownRegularization = first.getRegularization();
    FinetuneRecipe recipe = FinetuneRecipe.builder().optOptimizer(FinetuneRecipe.Optimizer.NESTEROVS)
        .optLearningRate(0.05).optWeightDecay(1e-3).build();
    var data = TinyClassifier.blobs(64, 1);
    try (var session = recipe.start(net, net, 4)) {
      assertInstanceOf(Nesterovs.class, first.getIUpdater());
      assertEquals(0.05, first.getIUpdater().getLearningRate(0, 0), 1e-12);
      assertEquals(List.of(new WeightDecay(1e-3, true)), first.getRegularization());
      assertEquals(List.of(), first.getRegularizationBias(), "biases are not decayed");
      var before = net.params().dup();
      Trainer.fit(net, BatchIterator.ordered(data, 16), 1);
      assertTrue(!before.equals(net.params()), "it trained");
    }
    assertInstanceOf(Adam.class, first.getIUpdater(), "the model's own optimizer is back");
    assertEquals(ownRegularization, first.getRegularization());
  }

  @Test
  void trainingReadsTheRecipesRate() {
    MultiLayerNetwork net = TinyClassifier.mlp(3);
    var before = net.params().dup();
    try (var session = FinetuneRecipe.builder().optLearningRate(1e-12).build().start(net, net, 4)) {
      Trainer.fit(net, BatchIterator.ordered(TinyClassifier.blobs(64, 1), 16), 1);
    }
    assertTrue(before.equalsWithEps(net.params(), 1e-8), "a rate of 1e-12 moves nothing (the model's own is 1e-2)");
  }

  @Test
  void aFinetuneStartsFromAFreshUpdaterState() {
    MultiLayerNetwork net = TinyClassifier.mlp(3);
    Trainer.fit(net, BatchIterator.ordered(TinyClassifier.blobs(64, 1), 16), 1);
    assertTrue(net.getUpdater().getStateViewArray().sumNumber().doubleValue() != 0, "Adam has moments");
    try (var session = FinetuneRecipe.model().start(net, net, 4)) {
      assertEquals(0.0, net.getUpdater().getStateViewArray().sumNumber().doubleValue(), "fresh moments");
    }
  }

  @Test
  void badSettingsSayWhatIsWrong() {
    var e = assertThrows(IllegalArgumentException.class, () -> FinetuneRecipe.builder().optLrFactor(0).build());
    assertTrue(e.getMessage().contains("factor must be > 0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> FinetuneRecipe.builder().optWeightDecay(-1).build());
    assertTrue(e.getMessage().contains("weight decay must be >= 0"), e.getMessage());
  }
}
