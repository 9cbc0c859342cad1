package org.depprune.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.depprune.network.Network;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.ops.transforms.Transforms;

class DistillationTest {
  private static final IActivation SOFTMAX = new ActivationSoftmax();
  private static final double T = 2;
  private static final double ALPHA = 0.7;

  // Two examples, three classes: the student's logits, the label, the teacher's probabilities.
  private static final double[][] Z = {{1.0, 2.0, 0.5}, {0.3, -1.0, 2.2}};
  private static final int[] LABEL = {1, 0};
  private static final double[][] Q = {{0.2, 0.7, 0.1}, {0.5, 0.1, 0.4}};

  private static INDArray logits() {
    return Nd4j.create(Z);
  }

  /** [N, 2C]: one-hot label, then the teacher's probabilities. */
  private static INDArray wideLabels() {
    double[][] rows = new double[Z.length][6];
    for (int i = 0; i < Z.length; i++) {
      rows[i][LABEL[i]] = 1;
      System.arraycopy(Q[i], 0, rows[i], 3, 3);
    }
    return Nd4j.create(rows);
  }

  /**
   * The loss of one example written out: hard = -log(e^{z_y} / sum e^{z_j});
   * soft = T^2 sum_j q_j log(q_j / p_j) with q_j = e^{log(Q_j)/T} / sum_k e^{log(Q_k)/T} and
   * p_j = e^{z_j/T} / sum_k e^{z_k/T}.
   */
  private static double byHand(double[] z, int label, double[] teacher, double t, double alpha) {
    double sum = Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]);
    double hard = -Math.log(Math.exp(z[label]) / sum);
    double qSum = Math.exp(Math.log(teacher[0]) / t) + Math.exp(Math.log(teacher[1]) / t) + Math.exp(Math.log(teacher[2]) / t);
    double pSum = Math.exp(z[0] / t) + Math.exp(z[1] / t) + Math.exp(z[2] / t);
    double kl = 0;
    for (int j = 0; j < 3; j++) {
      double q = Math.exp(Math.log(teacher[j]) / t) / qSum;
      double p = Math.exp(z[j] / t) / pSum;
      kl += q * Math.log(q / p);
    }
    return (1 - alpha) * hard + alpha * t * t * kl;
  }

  @Test
  void scoreMatchesTheFormulaWorkedByHand() {
    DistillationLoss loss = new DistillationLoss(T, ALPHA);
    double first = byHand(Z[0], LABEL[0], Q[0], T, ALPHA);
    double second = byHand(Z[1], LABEL[1], Q[1], T, ALPHA);
    INDArray perExample = loss.computeScoreArray(wideLabels(), logits(), SOFTMAX, null);
    assertEquals(2, perExample.rows());
    assertEquals(1, perExample.columns());
    assertEquals(first, perExample.getDouble(0, 0), 1e-6);
    assertEquals(second, perExample.getDouble(1, 0), 1e-6);
    assertEquals(first + second, loss.computeScore(wideLabels(), logits(), SOFTMAX, null, false), 1e-6);
    assertEquals((first + second) / 2, loss.computeScore(wideLabels(), logits(), SOFTMAX, null, true), 1e-6);
    // the soft term is not negligible here, so a dropped or mis-scaled term would show
    assertTrue(Math.abs(first - byHand(Z[0], LABEL[0], Q[0], T, 0)) > 0.1);
  }

  @Test
  void alphaZeroIsMulticlassCrossEntropy() {
    INDArray oneHot = wideLabels().getColumns(0, 1, 2);
    double mcxent = new LossMCXENT().computeScore(oneHot, logits(), SOFTMAX, null, true);
    assertEquals(mcxent, new DistillationLoss(T, 0).computeScore(wideLabels(), logits(), SOFTMAX, null, true), 1e-6);
    assertEquals(mcxent * 2, new DistillationLoss(5, 0).computeScore(wideLabels(), logits(), SOFTMAX, null, false), 1e-6);
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    for (double alpha : new double[] {0, ALPHA, 1}) {
      DistillationLoss loss = new DistillationLoss(T, alpha);
      INDArray grad = loss.computeGradient(wideLabels(), logits(), SOFTMAX, null);
      assertEquals(List.of(2L, 3L), List.of(grad.size(0), grad.size(1)));
      double h = 1e-5;
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 3; j++) {
          INDArray up = logits();
          up.putScalar(i, j, Z[i][j] + h);
          INDArray down = logits();
          down.putScalar(i, j, Z[i][j] - h);
          double numeric = (loss.computeScore(wideLabels(), up, SOFTMAX, null, false)
              - loss.computeScore(wideLabels(), down, SOFTMAX, null, false)) / (2 * h);
          double analytic = grad.getDouble(i, j);
          assertEquals(numeric, analytic, 1e-4 * Math.max(Math.abs(numeric), 1e-3),
              "alpha " + alpha + ", dL/dz[" + i + "][" + j + "]");
        }
      }
      var both = loss.computeGradientAndScore(wideLabels(), logits(), SOFTMAX, null, true);
      assertEquals(loss.computeScore(wideLabels(), logits(), SOFTMAX, null, true), both.getFirst(), 1e-12);
      assertEquals(grad, both.getSecond());
    }
  }

  @Test
  void perExampleMasksZeroExamplesAndPerOutputMasksAreRefused() {
    DistillationLoss loss = new DistillationLoss(T, ALPHA);
    INDArray mask = Nd4j.create(new double[][] {{1}, {0}});
    INDArray masked = loss.computeScoreArray(wideLabels(), logits(), SOFTMAX, mask);
    assertEquals(byHand(Z[0], LABEL[0], Q[0], T, ALPHA), masked.getDouble(0, 0), 1e-6);
    assertEquals(0, masked.getDouble(1, 0), 0);
    INDArray grad = loss.computeGradient(wideLabels(), logits(), SOFTMAX, mask);
    assertEquals(0, grad.getRow(1).norm1Number().doubleValue(), 0);
    assertTrue(grad.getRow(0).norm1Number().doubleValue() > 0.1);
    var e = assertThrows(UnsupportedOperationException.class,
        () -> loss.computeScore(wideLabels(), logits(), SOFTMAX, Nd4j.ones(2, 3), false));
    assertTrue(e.getMessage().contains("per-example masks"), e.getMessage());
  }

  @Test
  void refusesOtherActivationsNarrowLabelsAndBadSettings() {
    DistillationLoss loss = new DistillationLoss(T, ALPHA);
    var e = assertThrows(IllegalArgumentException.class,
        () -> loss.computeGradient(wideLabels(), logits(), Activation.SIGMOID.getActivationFunction(), null));
    assertTrue(e.getMessage().contains("softmax"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> loss.computeScore(wideLabels().getColumns(0, 1, 2), logits(), SOFTMAX, null, true));
    assertTrue(e.getMessage().contains("[N, 2C]") && e.getMessage().contains("TeacherLabels"), e.getMessage());
    for (double t : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      e = assertThrows(IllegalArgumentException.class, () -> new DistillationLoss(t, 0.5));
      assertTrue(e.getMessage().contains("temperature"), e.getMessage());
    }
    for (double a : new double[] {-0.1, 1.1, Double.NaN}) {
      e = assertThrows(IllegalArgumentException.class, () -> new DistillationLoss(2, a));
      assertTrue(e.getMessage().contains("alpha"), e.getMessage());
    }
  }

  @Test
  void aZeroTeacherProbabilityCountsAsZero() {
    INDArray labels = wideLabels();
    labels.putScalar(0, 5, 0.0);
    labels.putScalar(0, 3, 0.3);
    double score = new DistillationLoss(T, ALPHA).computeScore(labels, logits(), SOFTMAX, null, false);
    assertTrue(Double.isFinite(score), "0 log 0 is 0, found " + score);
  }

  @Test
  void survivesDl4jJsonAndModelSerializer() throws IOException {
    DistillationLoss loss = new DistillationLoss(3, 0.25);
    MultiLayerNetwork net = sequential(3, 1, loss);
    MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
    assertEquals(loss, ((BaseOutputLayer) back.getConf(1).getLayer()).getLossFn());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelSerializer.writeModel(net, bytes, false);
    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()));
    assertEquals(loss, outputLoss(restored));
    assertEquals(net.params(), restored.params());
  }

  // ---- Distillation.fit

  /** A 4-input, 3-class network without dropout or regularisation, trained by plain SGD. */
  private static MultiLayerNetwork sequential(int classes, long seed, ILossFunction loss) {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(seed).dataType(DataType.FLOAT).updater(new Sgd(0.1))
        .list()
        .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.TANH).build())
        .layer(new OutputLayer.Builder().lossFunction(loss).nIn(8).nOut(classes).activation(Activation.SOFTMAX).build())
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  private static MultiLayerNetwork sequential(int classes, long seed) {
    return sequential(classes, seed, new LossMCXENT());
  }

  private static ComputationGraph graph(long seed) {
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(seed).dataType(DataType.FLOAT).updater(new Sgd(0.1))
        .graphBuilder()
        .addInputs("in")
        .addLayer("hidden", new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.TANH).build(), "in")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
            .nIn(8).nOut(3).activation(Activation.SOFTMAX).build(), "hidden")
        .setOutputs("out")
        .build();
    ComputationGraph net = new ComputationGraph(conf);
    net.init();
    return net;
  }

  /** One batch of 16 random examples of 4 features with random labels among 3 classes. */
  private static DataSet batch() {
    Nd4j.getRandom().setSeed(7);
    INDArray x = Nd4j.rand(DataType.FLOAT, 16, 4).subi(0.5).muli(4);
    INDArray y = Nd4j.zeros(DataType.FLOAT, 16, 3);
    for (int i = 0; i < 16; i++) {
      y.putScalar(i, i % 3, 1);
    }
    return new DataSet(x, y);
  }

  private static DataSetIterator oneBatch() {
    return new ListDataSetIterator<>(batch().asList(), 16);
  }

  private static ILossFunction outputLoss(Model model) {
    return Distillation.softmaxOutput(Network.of(model), "test").getLossFn();
  }

  @Test
  void theOutputLayerTrainsWithTheDistillationLoss() {
    for (Model student : new Model[] {sequential(3, 1), graph(1)}) {
      Model teacher = student instanceof ComputationGraph ? graph(2) : sequential(3, 2);
      ILossFunction original = outputLoss(student);
      DataSet batch = batch();
      INDArray studentP = Network.of(student).output(batch.getFeatures());
      INDArray teacherP = Network.of(teacher).output(batch.getFeatures());
      INDArray wide = Nd4j.hstack(batch.getLabels(), teacherP);
      // softmax(log p) = p, so log p stands for the student's logits
      INDArray z = Transforms.log(studentP, true);
      double expected = new DistillationLoss(T, ALPHA).computeScore(wide, z, SOFTMAX, null, true);
      double mcxent = new LossMCXENT().computeScore(batch.getLabels(), z, SOFTMAX, null, true);
      INDArray before = student.params().dup();

      List<Double> losses = Distillation.fit(student, teacher, oneBatch(), 1, T, ALPHA);

      assertEquals(expected, losses.get(0), 1e-4 * expected, student.getClass().getSimpleName());
      assertTrue(Math.abs(expected - mcxent) > 0.05, "the two losses differ enough to tell apart");
      assertSame(original, outputLoss(student), "MCXENT is back");
      assertNotEquals(before, student.params(), "training changed the student");
    }
  }

  @Test
  void teacherLabelsAppendTheTeachersInferenceOutput() {
    Network teacher = Network.of(sequential(3, 2));
    TeacherLabels data = new TeacherLabels(oneBatch(), teacher);
    DataSet wide = data.next();
    assertEquals(6, data.totalOutcomes());
    assertEquals(batch().getLabels(), wide.getLabels().getColumns(0, 1, 2));
    assertEquals(teacher.output(batch().getFeatures()), wide.getLabels().getColumns(3, 4, 5));
    DataSet fourColumns = new DataSet(batch().getFeatures(), Nd4j.zeros(DataType.FLOAT, 16, 4));
    var e = assertThrows(IllegalArgumentException.class,
        () -> new TeacherLabels(new ListDataSetIterator<>(fourColumns.asList(), 16), teacher).next());
    assertTrue(e.getMessage().contains("one output per label column"), e.getMessage());
  }

  @Test
  void theOriginalLossIsRestoredWhenTrainingThrows() {
    MultiLayerNetwork student = sequential(3, 1);
    ILossFunction original = outputLoss(student);
    DataSetIterator failing = new ListDataSetIterator<>(batch().asList(), 8) {
      private int calls;

      @Override
      public DataSet next() {
        if (++calls == 2) {
          assertInstanceOf(DistillationLoss.class, outputLoss(student), "swapped while training");
          throw new IllegalStateException("disk gone");
        }
        return super.next();
      }
    };
    var e = assertThrows(IllegalStateException.class,
        () -> Distillation.fit(student, sequential(3, 2), failing, 1, T, ALPHA));
    assertEquals("disk gone", e.getMessage());
    assertSame(original, outputLoss(student));
    assertInstanceOf(LossMCXENT.class, outputLoss(student));
  }

  @Test
  void aTeacherEqualToTheStudentGivesNoGradientWhenAlphaIsOne() {
    MultiLayerNetwork student = sequential(3, 1);
    MultiLayerNetwork teacher = student.clone();
    INDArray before = student.params().dup();
    Distillation.fit(student, teacher, oneBatch(), 1, T, 1.0);
    double still = Transforms.abs(student.params().sub(before)).maxNumber().doubleValue();
    assertTrue(still < 1e-6, "soft gradient ~0 at z = t, parameters moved by " + still);

    // the same step with the labels in the loss moves them: the check above can fail
    MultiLayerNetwork other = sequential(3, 1);
    Distillation.fit(other, teacher, oneBatch(), 1, T, 0.5);
    double moved = Transforms.abs(other.params().sub(before)).maxNumber().doubleValue();
    assertTrue(moved > 1e-3, "parameters moved by " + moved);
  }

  @Test
  void refusesMismatchedOrUnsuitableTeachers() {
    MultiLayerNetwork student = sequential(3, 1);
    var e = assertThrows(IllegalArgumentException.class,
        () -> Distillation.fit(student, sequential(4, 2), oneBatch(), 1, T, ALPHA));
    assertTrue(e.getMessage().contains("student has 3") && e.getMessage().contains("teacher has 4"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Distillation.fit(student, student, oneBatch(), 1, T, ALPHA));
    assertTrue(e.getMessage().contains("clone"), e.getMessage());
    MultiLayerNetwork sigmoid = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
        .layer(new DenseLayer.Builder().nIn(4).nOut(8).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(8).nOut(3).activation(Activation.SIGMOID).build())
        .build());
    sigmoid.init();
    e = assertThrows(IllegalArgumentException.class,
        () -> Distillation.fit(student, sigmoid, oneBatch(), 1, T, ALPHA));
    assertTrue(e.getMessage().contains("teacher's output layer") && e.getMessage().contains("softmax"), e.getMessage());
    assertSame(LossMCXENT.class, outputLoss(student).getClass());
  }
}
