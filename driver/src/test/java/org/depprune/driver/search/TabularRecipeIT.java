package org.depprune.driver.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.depprune.driver.config.SearchConfig;
import org.depprune.driver.results.SearchSummary;
import org.depprune.driver.testing.SharedSparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A new user's model, as issue 23 found it: an MLP on scikit-learn's breast-cancer table (a CSV
 * with string labels), trained by plain DL4J with Adam at 1e-3, its input standardisation folded
 * into the first layer so it takes raw features (an area of about 650 next to a smoothness of about
 * 0.1). The first layer's weights on the large features are then about a thousandth, which one
 * Adam step at the model's own rate doubles: the recipe check stops the search and names the key,
 * and with a rate a thousand times lower the check passes and the plans are searched.
 */
class TabularRecipeIT extends SharedSparkSession {
  static final Path TABLE = Path.of("/usr/lib/python3/dist-packages/sklearn/datasets/data/breast_cancer.csv");
  @TempDir Path dir;

  @Test
  void theModelsOwnRateIsStoppedByTheCheckAndALowerOnePasses() throws Exception {
    assertTrue(Files.exists(TABLE), TABLE + " is missing: install Debian's package python3-sklearn (bin/test does)");
    List<String> lines = Files.readAllLines(TABLE);
    int n = Integer.parseInt(lines.get(0).split(",")[0]);
    INDArray x = Nd4j.create(n, 30);
    INDArray y = Nd4j.zeros(n, 2);
    StringBuilder csv = new StringBuilder();
    for (int k = 0; k < 30; k++) {
      csv.append('f').append(k).append(',');
    }
    csv.append("diagnosis\n");
    for (int i = 0; i < n; i++) {
      String[] cells = lines.get(i + 1).split(",");
      for (int k = 0; k < 30; k++) {
        x.putScalar(i, k, Double.parseDouble(cells[k]));
        csv.append(cells[k]).append(',');
      }
      int target = Integer.parseInt(cells[30]);
      // The search sorts string labels: benign is class 0, malignant class 1.
      y.putScalar(i, target == 1 ? 0 : 1, 1);
      csv.append(target == 1 ? "benign" : "malignant").append('\n');
    }
    Path table = Files.writeString(dir.resolve("breast-cancer.csv"), csv);

    INDArray mean = x.mean(0);
    INDArray std = x.std(false, 0);
    INDArray standard = x.subRowVector(mean).divRowVector(std);
    MultiLayerNetwork mlp = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
        .seed(4).weightInit(WeightInit.XAVIER).updater(new Adam(1e-3)).list()
        .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).name("hidden").build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX)
            .name("output").build())
        .setInputType(InputType.feedForward(30)).build());
    mlp.init();
    DataSet all = new DataSet(standard, y);
    for (int step = 0; step < 400; step++) {
      mlp.fit(all);
    }
    // Fold the standardisation in: W' = W / std (per input row), b' = b - (mean / std) W.
    INDArray w = mlp.getLayer(0).getParam("W");
    INDArray b = mlp.getLayer(0).getParam("b");
    INDArray scaled = w.divColumnVector(std.reshape(30, 1));
    b.subi(mean.reshape(1, 30).mmul(scaled).reshape(b.shape()));
    w.assign(scaled);
    double trained = mlp.evaluate(new org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator(new DataSet(x, y)))
        .accuracy();
    assertTrue(trained > 0.95, "the MLP takes raw features: " + trained);
    Path model = dir.resolve("mlp.zip");
    ModelSerializer.writeModel(mlp, model.toFile(), false);

    String config = "search {\n base-model = \"" + model + "\"\n"
        + " data { format = csv, train = \"" + table + "\", validation-fraction = 0.3, columns.label = diagnosis,"
        + " image.normalization = none }\n"
        + " criteria = [magnitude]\n uniform.ratios = [0.25, 0.5]\n random.plans-per-criterion = 1\n"
        + " evolution.generations = 0\n halving { budgets = [0, 256], promote = 1.0 }\n partitions = 1\n"
        + " calibration { batches = 1, batch-size = 32 }\n latency { batch-size = 2, warmup = 0, runs = 1 }\n}\n";
    Path out = dir.resolve("out");
    var stopped = assertThrows(IllegalStateException.class, () -> new SearchJob(SearchConfig.parse(config,
        Map.of("output", out.toString())), new PrintWriter(new StringWriter(), true)).run(spark));
    assertTrue(stopped.getMessage().startsWith("search.finetune: finetuning the unpruned base model on 256 images"),
        stopped.getMessage());
    assertTrue(stopped.getMessage().contains("Lower search.finetune.lr-factor"), stopped.getMessage());

    StringWriter console = new StringWriter();
    SearchSummary summary = new SearchJob(SearchConfig.parse(config, Map.of("output", out.toString(),
        "finetune.lr-factor", 0.001)), new PrintWriter(console, true)).run(spark);
    assertTrue(summary.base().accuracy() - summary.baseFinetuned().accuracy() <= summary.base().accuracyError(),
        console.toString());
    assertEquals(List.of("benign", "malignant"), summary.data().labels());
    assertTrue(summary.front().stream().anyMatch(r -> r.accuracy() > 0.9), "plans measured, not the recipe: "
        + summary.front());
  }
}
