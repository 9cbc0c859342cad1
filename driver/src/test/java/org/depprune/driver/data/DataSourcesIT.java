package org.depprune.driver.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.depprune.data.BatchIterator;
import org.depprune.data.FashionMnist;
import org.depprune.data.LabeledImages;
import org.depprune.driver.config.SearchConfig;
import org.depprune.driver.results.ResultRow;
import org.depprune.driver.results.ResultStore;
import org.depprune.driver.results.SearchSummary;
import org.depprune.driver.search.SearchJob;
import org.depprune.driver.testing.DataFixtures;
import org.depprune.driver.testing.SharedSparkSession;
import org.depprune.model.BaseModel;
import org.depprune.model.ModelFiles;
import org.depprune.trial.TrialProvenance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The search on real data as users keep it, read by Spark ({@code local[2]}): the same
 * Fashion-MNIST images as IDX files, a Parquet table and a PNG image-folder tree give the same
 * rows; a MultiLayerNetwork trained here with plain DL4J; colour images; a CSV table; and bad input.
 */
class DataSourcesIT extends SharedSparkSession {
  static final int TRAIN = 1200;
  static final int TEST = 200;

  @TempDir static Path dir;
  static LabeledImages train;
  static LabeledImages test;

  @BeforeAll
  static void writeData() throws Exception {
    train = DataFixtures.fashion("train", TRAIN);
    test = DataFixtures.fashion("t10k", TEST);
    DataFixtures.writeIdx(train, dir.resolve("idx"), "train");
    DataFixtures.writeIdx(test, dir.resolve("idx"), "t10k");
    DataFixtures.writeParquet(spark, train, dir.resolve("parquet/train"));
    DataFixtures.writeParquet(spark, test, dir.resolve("parquet/test"));
    List<String> digits = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    DataFixtures.writeImageFolder(train, dir.resolve("folder/train"), digits, false);
    DataFixtures.writeImageFolder(test, dir.resolve("folder/test"), digits, false);
    // a model without DepPrune's provenance: the search holds out a seeded fraction for validation
    ModelSerializer.writeModel(BaseModel.create(new BaseModel.Spec(4, 16, 10, 11L, 2e-3, 0.8)),
        dir.resolve("cnn.zip").toFile(), false);
  }

  static String config(Path model, String data, String... extra) {
    return "search {\n base-model = \"" + model + "\"\n"
        + """
          criteria = [magnitude]
          uniform.ratios = [0.5]
          random.plans-per-criterion = 1
          evolution.generations = 0
          halving { budgets = [64], promote = 1.0 }
          partitions = 2
          finetune.batch-size = 16
          calibration { batches = 1, batch-size = 16 }
          latency { batch-size = 2, warmup = 0, runs = 1 }
          """
        + " data {\n" + data + "\n }\n" + String.join("\n", extra) + "\n}\n";
  }

  static SearchSummary search(String config, Path out, StringWriter console) throws Exception {
    return new SearchJob(SearchConfig.parse(config, Map.of("output", out.toString())), new PrintWriter(console, true))
        .run(spark);
  }

  /** The rows' results that must not depend on where the data came from. */
  static List<String> results(Path out) throws Exception {
    List<String> lines = new ArrayList<>();
    for (ResultRow r : ResultStore.open(out.toString(), spark.sparkContext().hadoopConfiguration()).rows()) {
      assertTrue(r.ok(), r.trialId() + ": " + r.error());
      lines.add(r.trialId() + " partition " + r.partition() + " accuracy " + r.accuracy() + " test " + r.testAccuracy()
          + " macs " + r.macs());
    }
    return lines.stream().sorted().toList();
  }

  @Test
  void idxParquetAndAnImageFolderOfTheSameImagesGiveTheSameRows() throws Exception {
    Path model = dir.resolve("cnn.zip");
    StringWriter idxConsole = new StringWriter();
    SearchSummary idx = search(config(model, "format = idx\ntrain = \"" + dir.resolve("idx") + "\""),
        dir.resolve("out-idx"), idxConsole);
    List<String> expected = results(dir.resolve("out-idx"));
    assertEquals(2, expected.size(), idxConsole.toString());
    assertEquals(TRAIN, idx.data().trainExamples() + idx.data().validationExamples());
    assertEquals(TEST, idx.data().testExamples());
    assertEquals(List.of(1L, 28L, 28L), idx.data().exampleShape());
    assertTrue(idxConsole.toString().contains("validation: broadcast to the executors"), idxConsole.toString());

    StringWriter console = new StringWriter();
    SearchSummary parquet = search(config(model, "format = parquet\ntrain = \"" + dir.resolve("parquet/train")
        + "\"\ntest = \"" + dir.resolve("parquet/test") + "\"\ncolumns { id = id, image = image }"),
        dir.resolve("out-parquet"), console);
    assertEquals(expected, results(dir.resolve("out-parquet")), console.toString());
    assertEquals(idx.data().partitionSizes(), parquet.data().partitionSizes());

    console = new StringWriter();
    search(config(model, "format = image-folder\ntrain = \"" + dir.resolve("folder/train") + "\"\ntest = \""
        + dir.resolve("folder/test") + "\""), dir.resolve("out-folder"), console);
    assertEquals(expected, results(dir.resolve("out-folder")), console.toString());

    // pixel arrays instead of PNG bytes, and the validation set scored from its cached partitions
    console = new StringWriter();
    search(config(model, "format = parquet\ntrain = \"" + dir.resolve("parquet/train") + "\"\ntest = \""
        + dir.resolve("parquet/test") + "\"\ncolumns { id = id, features = pixels }\nbroadcast-validation-mb = 0"),
        dir.resolve("out-arrays"), console);
    assertTrue(console.toString().contains("validation: scored from its cached partitions"), console.toString());
    assertEquals(expected, results(dir.resolve("out-arrays")), console.toString());

    // what the split was is written down, and every saved model knows its classes
    var data = new ObjectMapper().readTree(dir.resolve("out-folder/data.json").toFile());
    assertEquals("FRACTION", data.get("split").get("mode").asText());
    assertEquals(idx.data().validationExamples(), data.get("validationExamples").asLong());
    ResultRow row = ResultStore.open(dir.resolve("out-folder").toString(), spark.sparkContext().hadoopConfiguration())
        .rows().get(0);
    TrialProvenance provenance = ModelFiles.readProvenance(
        dir.resolve("out-folder/trials").resolve(row.trialId() + ".zip"), TrialProvenance.class);
    assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), provenance.labels());
  }

  /** LeNet as DL4J's examples build it: flat 784-pixel input reshaped by a FeedForwardToCnnPreProcessor. */
  static MultiLayerNetwork lenet() {
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
        .seed(3).weightInit(WeightInit.XAVIER).updater(new Adam(3e-3)).list()
        .layer(new ConvolutionLayer.Builder(5, 5).nOut(6).activation(Activation.RELU).build())
        .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
        .layer(new ConvolutionLayer.Builder(5, 5).nOut(12).activation(Activation.RELU).build())
        .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
        .layer(new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX)
            .build())
        .setInputType(InputType.convolutionalFlat(28, 28, 1)).build());
    net.init();
    return net;
  }

  @Test
  void aLenetMultiLayerNetworkTrainedWithPlainDl4jOnTheParquetDataIsSearched() throws Exception {
    MultiLayerNetwork net = lenet();
    net.fit(flat(train, 1), 2);
    Path model = dir.resolve("lenet.zip");
    ModelSerializer.writeModel(net, model.toFile(), false);
    StringWriter console = new StringWriter();
    SearchSummary summary = search(config(model, "format = parquet\ntrain = \"" + dir.resolve("parquet/train")
        + "\"\ntest = \"" + dir.resolve("parquet/test") + "\"\ncolumns { id = id, features = pixels }"),
        dir.resolve("out-lenet"), console);
    assertEquals(0, summary.errors(), console.toString());
    assertTrue(summary.base().accuracy() > 0.5, "the trained LeNet learned something: " + summary.base().accuracy());
    assertTrue(summary.front().stream().allMatch(r -> r.testAccuracy() != null), "the front is scored on the test set");
    assertEquals(List.of(1L, 28L, 28L), summary.data().exampleShape());
  }

  /** Batches of {@code images} in a seeded order, flattened to [n, 784], as a flat-input network takes them. */
  static org.nd4j.linalg.dataset.api.iterator.DataSetIterator flat(LabeledImages images, long seed) {
    List<org.nd4j.linalg.dataset.DataSet> batches = new ArrayList<>();
    var it = BatchIterator.shuffled(images, java.util.stream.IntStream.range(0, images.size()).toArray(), 32, seed);
    while (it.hasNext()) {
      var batch = it.next();
      batches.add(new org.nd4j.linalg.dataset.DataSet(
          batch.getFeatures().reshape(batch.getFeatures().size(0), 784), batch.getLabels()));
    }
    return new org.deeplearning4j.datasets.iterator.impl.ListDataSetIterator<>(batches, 1);
  }
}
