package org.depprune.driver.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.depprune.backend.CpuEngine;
import org.depprune.data.Examples;
import org.depprune.data.FashionMnist;
import org.depprune.data.LabeledImages;
import org.depprune.data.Split;
import org.depprune.driver.config.SearchConfig.Budget;
import org.depprune.driver.config.SearchConfig.Objective;
import org.depprune.model.ModelFiles;
import org.depprune.train.FinetuneRecipe;
import org.depprune.trial.Plan;
import org.depprune.trial.Plans;
import org.depprune.trial.Trial;
import org.depprune.trial.TrialRunner;
import org.depprune.trial.TrialSettings;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The sensitivity scan on the committed model with one group made dead (block2_conv1's channels
 * feed nothing: block2_conv2's weights on them are zero): pruning that group alone costs nothing,
 * so the scan ranks it the least sensitive and the greedy allocation prunes it first, as far as the
 * space allows.
 */
class SensitivityScanIT {
  private static final InputType INPUT = InputType.convolutional(28, 28, 1);

  @Test
  void aDeadGroupIsTheLeastSensitiveAndIsPrunedFirst() throws Exception {
    ComputationGraph net = (ComputationGraph) ModelFiles.load(Path.of("..", "models", "base-resnet.zip"));
    net.getLayer("block2_conv2").getParam("W").get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
        NDArrayIndex.all()).assign(0);
    byte[] bytes = ModelFiles.bytes(net);
    List<String> layers = Plans.prunableLayers(net, Set.of(), INPUT);
    assertTrue(layers.contains("block2_conv1"), layers.toString());

    LabeledImages images = FashionMnist.train(FashionMnist.DEBIAN_DIR);
    Split split = Split.of(images.size(), 6000, 42);
    Examples train = examples(images, java.util.Arrays.copyOf(split.train(), 512));
    Examples validation = examples(images, java.util.Arrays.copyOf(split.validation(), 1000));
    var settings = new TrialSettings(List.of(1L, 28L, 28L), false, 64, 2, 64, 2, 0, 1, 1, List.of(), 2_347_008L, 1, 4,
        CpuEngine.ONEDNN, FinetuneRecipe.model());
    PlanSpace space = new PlanSpace(layers, 0.0, 0.7);
    SensitivityScan scan = new SensitivityScan(space, List.of(0.3, 0.6));
    Map<String, Double> accuracy = new HashMap<>();
    int[] all = java.util.stream.IntStream.range(0, train.size()).toArray();
    for (Plan plan : scan.plans("magnitude")) {
      var result = new TrialRunner(bytes, settings).run(new Trial(plan, "scan", 0, 0, 5, 0), train, all, validation)
          .result();
      assertTrue(result.ok(), plan + ": " + result.failure());
      accuracy.put(plan.id(), result.metrics().accuracy());
    }
    Map<String, double[]> losses = scan.losses("magnitude", accuracy);
    double[] dead = losses.get("block2_conv1");
    assertEquals(0.0, dead[dead.length - 1], 1e-9, "the dead group loses nothing even at 60%");
    for (String layer : layers) {
      if (!layer.equals("block2_conv1")) {
        assertTrue(losses.get(layer)[2] > dead[2], layer + " loses more at 60%: " + java.util.Arrays.toString(losses.get(layer)));
      }
    }

    BudgetScaler scaler = new BudgetScaler(space, p -> Plans.cost(net, p, 1, Set.of(), INPUT), 1.0);
    Plan guided = scan.guided("magnitude", new Budget(Objective.MACS, 0.7), losses, scaler);
    assertEquals(0.7, guided.ratios().get("block2_conv1"), 1e-9, "spent where it costs nothing first: " + guided);
    assertTrue(scaler.fits(guided, new Budget(Objective.MACS, 0.7)));
    // A tight budget needs the groups of 16 channels too, whose first 5% step removes no channel.
    Plan tight = scan.guided("magnitude", new Budget(Objective.MACS, 0.3), losses, scaler);
    assertTrue(tight != null && scaler.fits(tight, new Budget(Objective.MACS, 0.3)), "a plan within 30%: " + tight);
    assertTrue(tight.ratios().get("stem") > 0 || tight.ratios().get("block1_conv1") > 0, tight.toString());
  }

  private static Examples examples(LabeledImages images, int[] indices) {
    float[][] rows = new float[indices.length][];
    long[] ids = new long[indices.length];
    int[] labels = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      rows[i] = new float[28 * 28];
      images.copyFeatures(indices[i], rows[i], 0);
      ids[i] = indices[i];
      labels[i] = images.label(indices[i]);
    }
    return new Examples(new long[] {1, 28, 28}, 10, ids, labels, rows);
  }
}
