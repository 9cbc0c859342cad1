package org.depprune.driver.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.depprune.model.BaseModel;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.depprune.model.ModelFiles;
import org.depprune.model.TrainingProvenance;
import org.depprune.model.Versions;

/**
 * A small search world written to a directory: a generated 10-class data set in Fashion-MNIST's
 * IDX layout (each class a bright band at its own rows, plus noise, so a network can learn it)
 * and a narrow base model with its training provenance.
 */
public final class SearchFixture {
  public static final int TRAIN = 400;
  public static final int VALIDATION = 100;
  public static final int TEST = 100;

  private SearchFixture() {}

  /** Writes the data set into {@code dir}/data and the base model to {@code dir}/base.zip. */
  public static void write(Path dir) throws IOException {
    Path data = Files.createDirectories(dir.resolve("data"));
    SplittableRandom random = new SplittableRandom(5);
    writeSet(data, "train", TRAIN, random);
    writeSet(data, "t10k", TEST, random);
    var spec = new BaseModel.Spec(4, 16, 10, 11L, 2e-3, 0.8);
    var provenance = new TrainingProvenance(TrainingProvenance.FORMAT, "fixture", spec, 0, 32,
        TRAIN - VALIDATION, TRAIN - VALIDATION, VALIDATION, 7L, List.of(), 0, 0, data.toString(), Versions.all(), Instant.EPOCH.toString());
    ModelFiles.save(BaseModel.create(spec), dir.resolve("base.zip"), provenance);
  }

  /**
   * Writes a {@code MultiLayerNetwork} base model for the same data to {@code dir}/sequential.zip,
   * with the same recorded split: conv(6) bn relu, max pool, conv(8) bn relu, dense(12) with
   * dropout, softmax(10). Its layers are named; the flatten into the dense layer is DL4J's.
   */
  public static Path writeSequential(Path dir) throws IOException {
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
        .seed(13).weightInit(WeightInit.RELU).updater(new Adam(2e-3)).convolutionMode(ConvolutionMode.Same).list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.IDENTITY).name("conv1").build())
        .layer(new BatchNormalization.Builder().name("bn1").build())
        .layer(new ActivationLayer.Builder().activation(Activation.RELU).name("relu1").build())
        .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).name("pool").build())
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.IDENTITY).name("conv2").build())
        .layer(new BatchNormalization.Builder().name("bn2").build())
        .layer(new ActivationLayer.Builder().activation(Activation.RELU).name("relu2").build())
        .layer(new DenseLayer.Builder().nOut(12).activation(Activation.RELU).dropOut(0.5).name("dense").build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX)
            .name("output").build())
        .setInputType(InputType.convolutional(28, 28, 1)).build());
    net.init();
    var provenance = new TrainingProvenance(TrainingProvenance.FORMAT, "fixture-sequential", null, 0, 32,
        TRAIN - VALIDATION, TRAIN - VALIDATION, VALIDATION, 7L, List.of(), 0, 0, dir.resolve("data").toString(),
        Versions.all(), Instant.EPOCH.toString());
    Path file = dir.resolve("sequential.zip");
    ModelFiles.save(net, file, provenance);
    return file;
  }

  /** A search config over the fixture: small budgets, two criteria, a short evolution. */
  public static String config(Path dir, Map<String, String> extra) {
    StringBuilder c = new StringBuilder("search {\n");
    c.append("base-model = \"").append(dir.resolve("base.zip")).append("\"\n");
    c.append("data = \"").append(dir.resolve("data")).append("\"\n");
    c.append("""
        criteria = [magnitude, taylor]
        uniform.ratios = [0.25, 0.5]
        random.plans-per-criterion = 1
        evolution { generations = 1, population = 4 }
        halving { budgets = [32, 64], promote = 0.5 }
        partitions = 4
        calibration { batches = 2, batch-size = 16 }
        finetune.batch-size = 16
        latency { batch-size = 2, warmup = 1, runs = 2 }
        finetune.guard = off
        """);
    extra.forEach((k, v) -> c.append(k).append(" = ").append(v).append('\n'));
    return c.append("}\n").toString();
  }

  private static void writeSet(Path dir, String prefix, int n, SplittableRandom random) throws IOException {
    byte[] pixels = new byte[n * 28 * 28];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      int label = i % 10;
      labels[i] = (byte) label;
      for (int p = 0; p < 28 * 28; p++) {
        int row = p / 28;
        int value = random.nextInt(60) + (row / 3 == label ? 180 : 0);
        pixels[i * 28 * 28 + p] = (byte) Math.min(255, value);
      }
    }
    writeIdx(dir, prefix, 28, 28, pixels, labels);
  }

  /** Writes {@code labels.length} grey images of rows x cols as gzipped IDX files {@code <prefix>-images/labels-...}. */
  public static void writeIdx(Path dir, String prefix, int rows, int cols, byte[] pixels, byte[] labels)
      throws IOException {
    int n = labels.length;
    ByteArrayOutputStream images = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(images);
    out.writeInt(0x00000803);
    out.writeInt(n);
    out.writeInt(rows);
    out.writeInt(cols);
    out.write(pixels);
    ByteArrayOutputStream labelBytes = new ByteArrayOutputStream();
    DataOutputStream lout = new DataOutputStream(labelBytes);
    lout.writeInt(0x00000801);
    lout.writeInt(n);
    lout.write(labels);
    gzip(dir.resolve(prefix + "-images-idx3-ubyte.gz"), images.toByteArray());
    gzip(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), labelBytes.toByteArray());
  }

  private static void gzip(Path file, byte[] content) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(content);
    }
  }
}
