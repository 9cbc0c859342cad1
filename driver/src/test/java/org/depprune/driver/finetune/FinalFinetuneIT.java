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
        "final.batch-size-per-worker", "16", "final.averaging-frequency", "2",
        "final.learning-rate", "0.004", "final.lr-decay", "0.5"));
    StringWriter console = new StringWriter();
    SearchSummary summary = new SearchJob(SearchConfig.parse(config, Map.of("output", out.toString())),
        new PrintWriter(console)).run(spark);

    assertEquals(1, summary.finals().size(), console.toString());
    FinalModel result = summary.finals().get(0);
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

    // The last epoch trained at 0.004 * 0.5^2; the rate travels with the model's configuration.
    for (Network.Vertex v : Network.of(loaded).vertices()) {
      if (v.config() instanceof BaseLayer base && !Network.of(loaded).params(v.name()).isEmpty()) {
        assertEquals(0.001, base.getIUpdater().getLearningRate(0, 0), 1e-12, v.name());
      }
    }

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

}
