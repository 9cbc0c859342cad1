package org.depprune.driver.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.depprune.data.BatchIterator;
import org.depprune.data.LabeledImages;
import org.depprune.driver.config.SearchConfig;
import org.depprune.driver.results.FinalModel;
import org.depprune.driver.results.SearchSummary;
import org.depprune.driver.search.SearchJob;
import org.depprune.driver.testing.SearchFixture;
import org.depprune.driver.testing.SharedSparkSession;
import org.depprune.model.ModelFiles;
import org.depprune.network.Network;
import org.depprune.train.Evaluator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real data-parallel finetune (dl4j-spark parameter averaging on {@code local[2]}) of a front
 * plan after a small search.
 */
class FinalFinetuneIT extends SharedSparkSession {
  @TempDir Path dir;

  @Test
  void theDataParallelFinetuneLowersTheLossAndSavesAModelThatLoads() throws Exception {
    SearchFixture.write(dir);
    Path out = dir.resolve("out");
    String config = SearchFixture.config(dir, Map.of(
        "evolution.generations", "0", "final.macs-budgets", "[0.9]", "final.epochs", "3",
        "final.batch-size-per-worker", "16", "final.averaging-frequency", "2", "final.workers", "2",
        "final.learning-rate", "0.004", "final.schedule", "exponential", "final.lr-decay", "0.5",
        "final.distill", "off"));
    StringWriter console = new StringWriter();
    SearchSummary summary = new SearchJob(SearchConfig.parse(config, Map.of("output", out.toString())),
        new PrintWriter(console)).run(spark);

    FinalModel result = summary.finals().stream().filter(f -> f.role().equals(FinalModel.SEARCH)).findFirst()
        .orElseThrow(() -> new AssertionError(console.toString()));
    assertEquals(4, result.valLoss().size(), "before, then after each of 3 epochs");
    assertTrue(result.valLoss().get(3) < result.valLoss().get(0), "loss " + result.valLoss());
    assertTrue(result.macsShare() <= 0.9);
    assertEquals(SearchFixture.TRAIN - SearchFixture.VALIDATION, result.trainImages());
    assertEquals(2, result.workers());

    Path model = out.resolve("final").resolve(result.planId() + ".zip");
    Model loaded = ModelFiles.load(model);
    assertEquals(result.params(), loaded.numParams());
    FinalProvenance provenance = ModelFiles.readProvenance(model, FinalProvenance.class);
    assertEquals(result.planId(), provenance.planId());
    assertEquals("parameter-averaging", provenance.trainingMaster());
    assertEquals(result.valLoss(), provenance.valLoss());
    LabeledImages test = org.depprune.data.FashionMnist.test(dir.resolve("data"));
    assertEquals(result.testAccuracy(), Evaluator.accuracy(loaded, BatchIterator.ordered(test, 50)), 1e-9,
        "the saved model is the evaluated one");

    // Epochs trained at 0.004, 0.002, 0.001; the saved model carries its base's own updater
    // configuration again (Adam from 2e-3, x0.8 per epoch), as a trial's model does.
    for (Network.Vertex v : Network.of(loaded).vertices()) {
      if (v.config() instanceof BaseLayer base && !Network.of(loaded).params(v.name()).isEmpty()) {
        assertEquals(2e-3 * 0.8, base.getIUpdater().getLearningRate(0, 1), 1e-12, v.name());
      }
    }
    assertEquals("exponential", provenance.schedule());

    Model fromSearch = ModelFiles.load(out.resolve("pareto").resolve(result.planId() + ".zip"));
    assertEquals(loaded.numParams(), fromSearch.numParams(), "the same pruned architecture");
    assertNotEquals(fromSearch.params(), loaded.params(), "the finetune changed the weights");
    JsonNode json = new ObjectMapper().readTree(Files.readString(out.resolve("final").resolve(result.planId() + ".json")));
    assertEquals(result.testAccuracy(), json.get("testAccuracy").asDouble(), 1e-12);

    // Run again on the finished search: only the final finetune runs, and it trains the same model
    // (the base model has dropout, whose masks come from the plan's seed, not the task threads' history).
    new SearchJob(SearchConfig.parse(config, Map.of("output", out.toString())), new PrintWriter(new StringWriter()))
        .run(spark);
    assertEquals(loaded.params(), ModelFiles.load(model).params(), "the same plan and settings give the same model");
  }

  /**
   * The committed model, one plan at half its MACs, finetuned at the end with distillation from the
   * base on 2,048 Fashion-MNIST images an epoch, by two workers (parameter averaging) and by one:
   * the validation loss falls, and each runs again to the same parameters, bit for bit.
   */
  @Test
  void theDistilledFinetuneOfTheCommittedModelLowersTheLossAndRepeatsExactly() throws Exception {
    String model = Path.of("../models/base-resnet.zip").toAbsolutePath().normalize().toString();
    for (int workers : new int[] {2, 1}) {
      Path out = dir.resolve("committed-" + workers);
      String config = "search {\n base-model = \"" + model + "\"\n"
          + " criteria = [hessian]\n budgets.macs = [0.5]\n random.plans-per-criterion = 0\n"
          + " evolution.generations = 0\n halving { budgets = [0] }\n finetune.guard = off\n"
          + " validation-examples = 1000\n test-examples = 1000\n partitions = 4\n"
          + " latency { warmup = 0, runs = 1 }\n"
          + " final { macs-budgets = [0.5], epochs = 2, workers = " + workers + ", train-examples = 2048,"
          + " distill = on }\n}\n";
      StringWriter console = new StringWriter();
      SearchSummary summary = new SearchJob(SearchConfig.parse(config, Map.of("output", out.toString())),
          new PrintWriter(console)).run(spark);
      assertEquals(1, summary.finals().size(), "the only plan is uniform: no second, baseline finetune\n" + console);
      FinalModel result = summary.finals().get(0);
      assertEquals(workers, result.workers());
      assertEquals(3, result.valLoss().size());
      assertTrue(result.valLoss().get(2) < result.valLoss().get(0), workers + " workers: " + result.valLoss());
      FinalProvenance provenance = ModelFiles.readProvenance(out.resolve("final").resolve(result.planId() + ".zip"),
          FinalProvenance.class);
      assertTrue(provenance.distilled());
      assertEquals(workers == 1 ? "one-worker" : "parameter-averaging", provenance.trainingMaster());
      org.nd4j.linalg.api.ndarray.INDArray first = ModelFiles.load(out.resolve("final").resolve(result.planId() + ".zip"))
          .params().dup();
      deleteTree(out.resolve("final"));
      new SearchJob(SearchConfig.parse(config, Map.of("output", out.toString())), new PrintWriter(new StringWriter()))
          .run(spark);
      assertEquals(first, ModelFiles.load(out.resolve("final").resolve(result.planId() + ".zip")).params(),
          workers + " workers: the same plan and settings give the same model");
    }
  }

  private static void deleteTree(Path p) throws java.io.IOException {
    try (var walk = Files.walk(p)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
