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
  /** Fashion-MNIST's class names as folder names ("T-shirt/top" would be two folders). */
  static final List<String> CLASSES = FashionMnist.CLASS_NAMES.stream().map(n -> n.replace('/', '-')).toList();

  @TempDir static Path dir;
  static LabeledImages train;
  static LabeledImages test;

  @BeforeAll
  static void writeData() throws Exception {
    train = DataFixtures.fashion("train", TRAIN);
    test = DataFixtures.fashion("t10k", TEST);
    DataFixtures.writeIdx(train, dir.resolve("idx"), "train");
    DataFixtures.writeIdx(test, dir.resolve("idx"), "t10k");
    DataFixtures.writeParquet(spark, train, dir.resolve("parquet/train").toString());
    DataFixtures.writeParquet(spark, test, dir.resolve("parquet/test").toString());
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
          finetune.guard = off
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
      lines.add(r.trialId() + " partition " + r.trial().partition() + " accuracy " + r.accuracy() + " test " + r.testAccuracy()
          + " macs " + r.metrics().macs());
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
    assertEquals(TRAIN, idx.data().trainExamples() + idx.data().heldOutExamples());
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
        + dir.resolve("parquet/test") + "\"\ncolumns { id = id, features = pixels }\nbroadcast-validation-mb = 0\n"
        + "image { height = 28, width = 28 }"),
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
    for (int epoch = 0; epoch < 2; epoch++) {
      flat(train, epoch).forEach(net::fit);
    }
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
  static List<org.nd4j.linalg.dataset.DataSet> flat(LabeledImages images, long seed) {
    List<org.nd4j.linalg.dataset.DataSet> batches = new ArrayList<>();
    var it = BatchIterator.shuffled(images, java.util.stream.IntStream.range(0, images.size()).toArray(), 32, seed);
    while (it.hasNext()) {
      var batch = it.next();
      batches.add(new org.nd4j.linalg.dataset.DataSet(
          batch.getFeatures().reshape(batch.getFeatures().size(0), 784), batch.getLabels()));
    }
    return batches;
  }

  /** A small RGB CNN: conv(6) pool conv(8) dense(16) softmax(10) on 28x28x3. */
  static MultiLayerNetwork rgbCnn() {
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
        .seed(5).weightInit(WeightInit.RELU).updater(new Adam(3e-3)).convolutionMode(ConvolutionMode.Same).list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.RELU).name("conv1").build())
        .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).name("conv2").build())
        .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
        .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).name("dense").build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX)
            .build())
        .setInputType(InputType.convolutional(28, 28, 3)).build());
    net.init();
    return net;
  }

  @Test
  void colourImagesInClassFoldersNamedByStringsAreSearchedWithAnRgbNetwork() throws Exception {
    Path folder = dir.resolve("tinted");
    DataFixtures.writeImageFolder(train.select(java.util.stream.IntStream.range(0, 600).map(i -> i * 2).toArray()),
        folder, CLASSES, true);
    MultiLayerNetwork net = rgbCnn();
    Path model = dir.resolve("rgb.zip");
    ModelSerializer.writeModel(net, model.toFile(), false);
    StringWriter console = new StringWriter();
    SearchSummary summary = search(config(model, "format = image-folder\ntrain = \"" + folder + "\""),
        dir.resolve("out-rgb"), console);
    assertEquals(0, summary.errors(), console.toString());
    assertEquals(List.of(3L, 28L, 28L), summary.data().exampleShape());
    assertEquals(CLASSES.stream().sorted().toList(), summary.data().labels(),
        "string labels (the folders), sorted");
    assertEquals("", summary.data().test(), "no test set");
    assertTrue(summary.front().stream().allMatch(r -> r.testAccuracy() == null), "no test accuracy, not zero");
    String csv = Files.readString(dir.resolve("out-rgb/results.csv"));
    assertTrue(csv.lines().skip(1).allMatch(l -> l.contains(",,") || !l.contains("test")), csv);

    // a validation set of its own: other images, in the same class folders
    Path validation = dir.resolve("tinted-validation");
    DataFixtures.writeImageFolder(train.select(java.util.stream.IntStream.range(0, 200).map(i -> i * 6 + 1).toArray()),
        validation, CLASSES, true);
    SearchSummary separate = search(config(model, "format = image-folder\ntrain = \"" + folder + "\"\nvalidation = \""
        + validation + "\""), dir.resolve("out-rgb-paths"), new StringWriter());
    assertEquals(SplitPlan.Mode.PATHS, separate.data().split().mode());
    assertEquals(600, separate.data().trainExamples(), "every training image trains");
    assertEquals(200, separate.data().heldOutExamples());
    assertEquals(0, separate.errors());

    // the same config on the same output after the data changed: data.json tells, the search stops
    Path extra = folder.resolve(CLASSES.get(0)).resolve("extra.png");
    Files.write(extra, DataFixtures.tintedPng(train, 1));
    Exception changed = assertThrows(Exception.class, () -> search(config(model, "format = image-folder\ntrain = \""
        + folder + "\""), dir.resolve("out-rgb"), new StringWriter()));
    assertMessage(changed, "data.json", "use a new --out directory for new data");
    Files.delete(extra);
  }

  @Test
  void rowsWithoutALabelOrWithTheWrongNumberOfFeaturesAreNamedOrCountedNeverDropped() throws Exception {
    var schema = new org.apache.spark.sql.types.StructType()
        .add("id", org.apache.spark.sql.types.DataTypes.LongType)
        .add("label", org.apache.spark.sql.types.DataTypes.IntegerType)
        .add("pixels", org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.FloatType));
    List<org.apache.spark.sql.Row> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Float[] pixels = new Float[784];
      for (int p = 0; p < 784; p++) {
        pixels[p] = train.pixel(i * 4, p) / 255f;
      }
      rows.add(org.apache.spark.sql.RowFactory.create((long) i, train.label(i * 4), pixels));
    }
    rows.add(org.apache.spark.sql.RowFactory.create(300L, null, new Float[784]));
    rows.add(org.apache.spark.sql.RowFactory.create(301L, 3, new Float[] {0f, 1f}));
    Path table = dir.resolve("with-bad-rows");
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(table.toString());
    Path model = dir.resolve("cnn.zip");
    String data = "format = parquet\ntrain = \"" + table + "\"\ncolumns { id = id, features = pixels }\n"
        + "image { height = 28, width = 28 }";
    assertMessage(search(model, data), "row 300 of", "no label", "search.data.corrupt = skip");
    SearchSummary summary = search(config(model, data + "\ncorrupt = skip"), dir.resolve("out-bad-rows"),
        new StringWriter());
    assertEquals(2L, summary.data().skipped().get("train+validation"));
    assertEquals(300, summary.data().trainExamples() + summary.data().heldOutExamples(), "every good row, all");
    String samples = String.join("; ", summary.data().skippedSamples());
    assertTrue(samples.contains("row 300") && samples.contains("no label"), samples);
    assertTrue(samples.contains("row 301") && samples.contains("2 features where the model takes 784"), samples);
  }

  @Test
  void aCsvTableIsSearchedWithAnMlpStandardisedOnItsTrainingSplit() throws Exception {
    Path csv = DataFixtures.writeDigitsCsv(dir.resolve("digits/digits.csv"), 1797);
    MultiLayerNetwork mlp = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
        .seed(9).weightInit(WeightInit.XAVIER).updater(new Adam(1e-2)).list()
        .layer(new DenseLayer.Builder().nOut(32).activation(Activation.RELU).name("hidden").build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX)
            .build())
        .setInputType(InputType.feedForward(64)).build());
    mlp.init();
    // trained here with plain DL4J on the CSV's rows, as a team would train its own model
    List<String> lines = Files.readAllLines(csv).subList(1, 1798);
    var features = org.nd4j.linalg.factory.Nd4j.create(lines.size(), 64);
    var labels = org.nd4j.linalg.factory.Nd4j.zeros(lines.size(), 10);
    for (int i = 0; i < lines.size(); i++) {
      String[] cells = lines.get(i).split(",");
      for (int k = 0; k < 64; k++) {
        features.putScalar(i, k, Double.parseDouble(cells[k]));
      }
      labels.putScalar(i, Integer.parseInt(cells[64]), 1);
    }
    // standardised per feature over all rows: close to the search's statistics of its training split
    var mean = features.mean(0);
    var std = features.std(false, 0);
    for (int k = 0; k < 64; k++) {
      double sd = std.getDouble(k) > 1e-6 ? std.getDouble(k) : 1;
      features.getColumn(k).subi(mean.getDouble(k)).divi(sd);
    }
    var all = new org.nd4j.linalg.dataset.DataSet(features, labels);
    for (int epoch = 0; epoch < 40; epoch++) {
      mlp.fit(all);
    }
    Path model = dir.resolve("mlp.zip");
    ModelSerializer.writeModel(mlp, model.toFile(), false);
    StringWriter console = new StringWriter();
    SearchSummary summary = search(config(model, "format = csv\ntrain = \"" + csv + "\"\nvalidation-fraction = 0.2\n"
        + "columns.label = digit\nimage.normalization = standard"), dir.resolve("out-digits"), console);
    assertEquals(0, summary.errors(), console.toString());
    assertEquals(List.of(64L), summary.data().exampleShape());
    assertEquals(64, summary.data().mean().size(), "a mean per feature, from the training split");
    assertEquals(1797, summary.data().trainExamples() + summary.data().heldOutExamples());
    double share = summary.data().heldOutExamples() / 1797.0;
    assertTrue(share > 0.16 && share < 0.24, "about 20% held out: " + share);
    assertTrue(summary.base().accuracy() > 0.8, "the MLP reads the standardised features as trained: "
        + summary.base().accuracy());
    assertTrue(summary.front().stream().anyMatch(r -> r.accuracy() > 0.5), "a pruned MLP after 64 images: "
        + summary.front());
  }

  @Test
  void aKerasModelIsImportedAndSearchedOnACsvTable() throws Exception {
    // the committed Keras 2 HDF5 fixture (tools/keras-fixture/): a channels-last CNN trained on Fashion-MNIST
    Path keras = Path.of("..", "executor-lib", "src", "test", "resources", "keras", "fashion-cnn.h5");
    StringBuilder csv = new StringBuilder();
    csv.append(String.join(",", java.util.stream.IntStream.range(0, 784).mapToObj(p -> "p" + p).toList()))
        .append(",label\n");
    for (int i = 0; i < TRAIN; i++) {
      for (int p = 0; p < 784; p++) {
        csv.append(train.pixel(i, p) / 255f).append(',');
      }
      csv.append(train.label(i)).append('\n');
    }
    Path table = Files.writeString(dir.resolve("fashion.csv"), csv);
    StringWriter console = new StringWriter();
    SearchSummary summary = search(config(keras, "format = csv\ntrain = \"" + table + "\"\n"
        + "columns.label = label\nimage { height = 28, width = 28 }"), dir.resolve("out-keras"), console);
    assertEquals(0, summary.errors(), console.toString());
    assertEquals(List.of(28L, 28L, 1L), summary.data().exampleShape(), "channels last, as Keras takes them");
    assertTrue(summary.base().accuracy() > 0.6, "the import predicts as trained: " + summary.base().accuracy());
    assertTrue(summary.front().stream().allMatch(r -> r.macsShare() < 1), summary.front().toString());
  }

  @Test
  void badInputGetsAnErrorThatNamesTheFix() throws Exception {
    Path model = dir.resolve("cnn.zip");
    String parquet = "format = parquet\ntrain = \"" + dir.resolve("parquet/train") + "\"\n";
    assertMessage(search(model, "format = parquet\ntrain = \"" + dir.resolve("nowhere") + "\""),
        "nowhere", "search.data.train");
    assertMessage(search(model, parquet + "columns { id = id, image = picture }"),
        "search.data.columns.image", "picture", "its columns are");
    assertMessage(search(model, parquet + "columns { id = id, image = image }\nimage { height = 32, width = 32 }"),
        "32x32", "search.data.image.resize");
    Path rgb = dir.resolve("rgb-for-errors.zip");
    ModelSerializer.writeModel(rgbCnn(), rgb.toFile(), false);
    assertMessage(search(rgb, parquet + "columns { id = id, image = image }\nimage.channels = 1"),
        "[1, 28, 28]", "[3, ?, ?]", "search.data.image.channels");

    // string labels in the validation set that the training set does not have
    Path folder = dir.resolve("labels-train");
    Path other = dir.resolve("labels-val");
    LabeledImages few = train.select(java.util.stream.IntStream.range(0, 200).map(i -> i * 6).toArray()); // all classes
    DataFixtures.writeImageFolder(few, folder, CLASSES, false);
    List<String> renamed = new ArrayList<>(CLASSES);
    renamed.set(0, "tshirt");
    DataFixtures.writeImageFolder(few, other, renamed, false);
    assertMessage(search(model, "format = image-folder\ntrain = \"" + folder + "\"\nvalidation = \"" + other + "\""),
        "[tshirt]", "search.data.validation");

    // an empty class folder
    Files.createDirectories(folder.resolve("Unused"));
    assertMessage(search(model, "format = image-folder\ntrain = \"" + folder + "\""), "[Unused]", "hold no");
    Files.delete(folder.resolve("Unused"));

    // a corrupt image: fail names the file; skip counts it, and the search goes on
    Path broken = folder.resolve("Bag").resolve("broken.png");
    Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    assertMessage(search(model, "format = image-folder\ntrain = \"" + folder + "\""), "broken.png",
        "search.data.corrupt = skip");
    StringWriter console = new StringWriter();
    SearchSummary skipped = search(config(model, "format = image-folder\ntrain = \"" + folder + "\"\ncorrupt = skip"),
        dir.resolve("out-skip"), console);
    assertEquals(1L, skipped.data().skipped().get("train+validation"), console.toString());
    assertTrue(skipped.data().skippedSamples().get(0).contains("broken.png"), skipped.data().skippedSamples().toString());
    assertTrue(console.toString().contains("skipped 1 corrupt records"), console.toString());
    assertTrue(Files.readString(dir.resolve("out-skip/report.html")).contains("broken.png"));
    assertEquals(200, skipped.data().trainExamples() + skipped.data().heldOutExamples(), "the good images, all");
    Files.delete(broken);
  }

  /** The error a search on {@code data} stops with, before any trial. */
  static Exception search(Path model, String data) {
    return assertThrows(Exception.class, () -> search(config(model, data), dir.resolve("out-error"),
        new StringWriter()));
  }

  static void assertMessage(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage() != null && e.getMessage().contains(part), "'" + part + "' not in: " + e);
    }
  }
}
