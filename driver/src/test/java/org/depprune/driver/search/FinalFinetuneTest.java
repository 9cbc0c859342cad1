package org.depprune.driver.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.depprune.data.ImageBatchIterator;
import org.depprune.data.LabeledImages;
import org.depprune.model.ModelFiles;
import org.depprune.train.Evaluator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The final finetune: which front plans it picks, its minibatches, and a real data-parallel
 * finetune (dl4j-spark parameter averaging on {@code local[2]}) after a small search.
 */
class FinalFinetuneTest extends SharedSparkSession {
  @TempDir Path dir;

  @Test
  void eachBudgetTakesTheMostAccuratePlanUnderIt() {
    ResultRow small = RowsForTests.row(0.70, 0.20);
    ResultRow middle = RowsForTests.row(0.80, 0.35);
    ResultRow large = RowsForTests.row(0.90, 0.60);
    List<ResultRow> front = List.of(small, middle, large);

    Map<ResultRow, Double> chosen = FinalFinetune.choose(front, List.of(0.5, 0.3, 1.0));
    assertEquals(List.of(small, middle, large), List.copyOf(chosen.keySet()));
    assertEquals(List.of(0.3, 0.5, 1.0), List.copyOf(chosen.values()));

    // Two budgets with the same best plan finetune it once; a budget under every plan picks none.
    chosen = FinalFinetune.choose(front, List.of(0.1, 0.4, 0.45));
    assertEquals(Map.of(middle, 0.4), chosen);
  }

  @Test
  void anEpochsMinibatchesCoverTheSplitOnceInASeededOrder() {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int n = 50;
    byte[] pixels = new byte[n * 4];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      pixels[i * 4] = (byte) i; // image i is identified by its first pixel
      labels[i] = (byte) (i % 10);
    }
    var images = sc.broadcast(new LabeledImages(2, 2, 10, pixels, labels));
    int[] split = java.util.stream.IntStream.range(5, 45).toArray();
    try {
      List<int[]> first = FinalFinetune.epochBatches(split, 16, 7);
      assertEquals(List.of(16, 16, 8), first.stream().map(b -> b.length).toList());
      int[] seen = first.stream().flatMapToInt(java.util.Arrays::stream).toArray();
      int[] sorted = seen.clone();
      java.util.Arrays.sort(sorted);
      assertArrayEquals(split, sorted, "every training image once, no validation image");
      assertArrayEquals(seen, FinalFinetune.epochBatches(split, 16, 7).stream().flatMapToInt(java.util.Arrays::stream).toArray());
      assertNotEquals(java.util.Arrays.toString(seen), java.util.Arrays.toString(
          FinalFinetune.epochBatches(split, 16, 8).stream().flatMapToInt(java.util.Arrays::stream).toArray()));

      List<DataSet> built = FinalFinetune.minibatches(sc, images, first, 2).collect();
      assertEquals(List.of(16L, 16L, 8L), built.stream().map(d -> d.getFeatures().size(0)).toList());
      assertArrayEquals(seen, firstPixels(built), "the tasks build the minibatches of those images");
    } finally {
      images.destroy();
    }
  }

  @Test
  void theDataParallelFinetuneLowersTheLossAndSavesAModelThatLoads() throws Exception {
    SearchFixture.write(dir);
    Path out = dir.resolve("out");
    String config = SearchFixture.config(dir, Map.of(
        "evolution.generations", "0", "final.macs-budgets", "[0.9]", "final.epochs", "3",
        "final.batch-size-per-worker", "16", "final.averaging-frequency", "2",
        "final.learning-rate", "0.004", "final.lr-decay", "0.5"));
    StringWriter console = new StringWriter();
    SearchJob.Summary summary = new SearchJob(SearchConfig.parse(config, Map.of("output", out.toString())),
        new PrintWriter(console)).run(spark);

    assertEquals(1, summary.finals().size(), console.toString());
    FinalFinetune.Result result = summary.finals().get(0);
    assertEquals(4, result.valLoss().size(), "before, then after each of 3 epochs");
    assertTrue(result.valLoss().get(3) < result.valLoss().get(0), "loss " + result.valLoss());
    assertTrue(result.macsShare() <= 0.9);
    assertEquals(SearchFixture.TRAIN - SearchFixture.VALIDATION, result.trainImages());
    assertEquals(2, result.workers());

    Path model = out.resolve("final").resolve(result.planId() + ".zip");
    ComputationGraph loaded = ModelFiles.loadGraph(model);
    assertEquals(result.params(), loaded.numParams());
    FinalProvenance provenance = ModelFiles.readProvenance(model, FinalProvenance.class);
    assertEquals(result.planId(), provenance.planId());
    assertEquals("parameter-averaging", provenance.trainingMaster());
    assertEquals(result.valLoss(), provenance.valLoss());
    LabeledImages test = org.depprune.data.FashionMnist.test(dir.resolve("data"));
    assertEquals(result.testAccuracy(), Evaluator.accuracy(loaded, ImageBatchIterator.ordered(test, 50)), 1e-9,
        "the saved model is the evaluated one");

    // The last epoch trained at 0.004 * 0.5^2; the rate travels with the model's configuration.
    for (var layer : loaded.getLayers()) {
      if (layer.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer base && layer.numParams() > 0) {
        assertEquals(0.001, base.getIUpdater().getLearningRate(0, 0), 1e-12, layer.conf().getLayer().getLayerName());
      }
    }

    ComputationGraph fromSearch = ModelFiles.loadGraph(out.resolve("pareto").resolve(result.planId() + ".zip"));
    assertEquals(loaded.numParams(), fromSearch.numParams(), "the same pruned architecture");
    assertNotEquals(fromSearch.params(), loaded.params(), "the finetune changed the weights");
    JsonNode json = new ObjectMapper().readTree(Files.readString(out.resolve("final").resolve(result.planId() + ".json")));
    assertEquals(result.testAccuracy(), json.get("testAccuracy").asDouble(), 1e-12);

    // Run again on the finished search: only the final finetune runs, and it trains the same model
    // (the base model has dropout, whose masks come from the plan's seed, not the task threads' history).
    new SearchJob(SearchConfig.parse(config, Map.of("output", out.toString())), new PrintWriter(new StringWriter()))
        .run(spark);
    assertEquals(loaded.params(), ModelFiles.loadGraph(model).params(), "the same plan and settings give the same model");
  }

  private static int[] firstPixels(List<DataSet> batches) {
    return batches.stream().flatMapToInt(d -> {
      INDArray f = d.getFeatures().reshape(d.getFeatures().size(0), 4);
      return java.util.stream.IntStream.range(0, (int) f.size(0)).map(i -> Math.round(f.getFloat(i, 0) * 255));
    }).toArray();
  }
}
