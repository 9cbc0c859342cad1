package org.depprune.train;

import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The knowledge-distillation loss of Hinton, Vinyals and Dean, "Distilling the Knowledge in a
 * Neural Network" (arXiv:1503.02531, 2015), for a softmax output layer. Per example:
 *
 * <pre>
 * L = (1 - alpha) * CE(y, softmax(z)) + alpha * T^2 * KL(softmax(t / T) || softmax(z / T))
 * </pre>
 *
 * with {@code z} the student's logits (the layer's pre-output), {@code t} the teacher's, {@code y}
 * the one-hot label and {@code T} the temperature. A higher {@code T} softens both distributions,
 * so the student also learns how the teacher ranks the wrong classes; the {@code T^2} keeps the
 * soft term's gradient, {@code alpha * T * (softmax(z/T) - softmax(t/T))}, about as large as the
 * hard term's, {@code (1 - alpha) * (softmax(z) - y)}, whatever the temperature (section 2 of the
 * paper).
 *
 * <p><b>Labels</b> are {@code [N, 2C]}: the first {@code C} columns the one-hot label, the last
 * {@code C} the teacher's softmax probabilities {@code p} ({@link TeacherLabels} appends them).
 * The teacher's logits are not needed: {@code log p = t - logsumexp(t)} differs from {@code t}
 * by a per-example constant, which softmax ignores, so {@code softmax(log p / T) = softmax(t / T)}
 * exactly; it is computed as {@code p^(1/T) / sum(p^(1/T))}, which needs no log of a zero
 * probability.
 *
 * <p>Scores follow DL4J's convention: {@link #computeScore} sums over the examples and divides by
 * the minibatch size when {@code average} is set; {@link #computeScoreArray} gives {@code [N, 1]}.
 * Masks may be per example ({@code [N, 1]}); per-output masks are refused. Serialisable as DL4J's
 * configuration JSON requires (its {@code @class} property plus the two constructor properties),
 * though {@link Distillation} restores the layer's own loss before training ends.
 */
public final class DistillationLoss implements ILossFunction {
  private static final long serialVersionUID = 1L;
  /** Floor for a probability inside a log, so that {@code 0 * log 0} counts as 0. */
  private static final double TINY = 1e-30;

  private final double temperature;
  private final double alpha;

  /**
   * @param temperature {@code T > 0}; Hinton et al. use values from 1 to 20, 2 to 4 is common
   * @param alpha the weight of the soft (teacher) term, in {@code [0, 1]}: 0 is plain cross-entropy
   */
  public DistillationLoss(
      @JsonProperty("temperature") double temperature, @JsonProperty("alpha") double alpha) {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException(
          "the distillation temperature must be positive and finite, found " + temperature);
    }
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException(
          "the distillation weight alpha must be in [0, 1] (0: labels only, 1: teacher only), found " + alpha);
    }
    this.temperature = temperature;
    this.alpha = alpha;
  }

  public double getTemperature() {
    return temperature;
  }

  public double getAlpha() {
    return alpha;
  }

  @Override
  public double computeScore(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
    double score = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
    return average ? score / preOutput.size(0) : score;
  }

  @Override
  public INDArray computeScoreArray(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    Parts p = parts(labels, preOutput, activationFn);
    INDArray score = Nd4j.zeros(preOutput.dataType(), preOutput.size(0), 1);
    if (alpha < 1) {
      // CE(y, softmax(z)) = -sum_j y_j log softmax(z)_j
      score.addi(p.y().mul(p.logSoftmax()).sum(true, 1).muli(-(1 - alpha)));
    }
    if (alpha > 0) {
      // T^2 * KL(q || softmax(z/T)) = T^2 * sum_j q_j (log q_j - log softmax(z/T)_j)
      INDArray logQ = Transforms.log(Transforms.max(p.softTeacher(), TINY, true), false);
      INDArray kl = p.softTeacher().mul(logQ.subi(p.logSoftStudent())).sum(true, 1);
      score.addi(kl.muli(alpha * temperature * temperature));
    }
    return masked(score, mask, preOutput);
  }

  @Override
  public INDArray computeGradient(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    Parts p = parts(labels, preOutput, activationFn);
    INDArray grad = Nd4j.zeros(preOutput.dataType(), preOutput.shape());
    if (alpha < 1) {
      // d CE / dz = softmax(z) * sum_j y_j - y, i.e. softmax(z) - y for a one-hot label
      INDArray hard = Transforms.exp(p.logSoftmax(), true).muliColumnVector(p.y().sum(true, 1)).subi(p.y());
      grad.addi(hard.muli(1 - alpha));
    }
    if (alpha > 0) {
      // d (T^2 KL) / dz = T * (softmax(z/T) - q)
      INDArray soft = Transforms.exp(p.logSoftStudent(), true).subi(p.softTeacher());
      grad.addi(soft.muli(alpha * temperature));
    }
    return masked(grad, mask, preOutput);
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
    return new Pair<>(
        computeScore(labels, preOutput, activationFn, mask, average),
        computeGradient(labels, preOutput, activationFn, mask));
  }

  /**
   * The pieces both the score and the gradient use: the label {@code y}, the teacher's softened
   * distribution {@code q = softmax(t/T)}, {@code log softmax(z)} and {@code log softmax(z/T)}.
   */
  private record Parts(INDArray y, INDArray softTeacher, INDArray logSoftmax, INDArray logSoftStudent) {}

  private Parts parts(INDArray labels, INDArray preOutput, IActivation activationFn) {
    if (!(activationFn instanceof ActivationSoftmax)) {
      throw new IllegalArgumentException(
          "DistillationLoss needs a softmax output layer, found activation " + activationFn
              + "; build the output layer with .activation(Activation.SOFTMAX)");
    }
    if (preOutput.rank() != 2 || labels.rank() != 2 || labels.size(0) != preOutput.size(0)
        || labels.size(1) != 2 * preOutput.size(1)) {
      throw new IllegalArgumentException(
          "DistillationLoss needs labels [N, 2C]: the one-hot labels, then the teacher's"
              + " probabilities (wrap the data in TeacherLabels); found labels "
              + Arrays.toString(labels.shape()) + " for outputs " + Arrays.toString(preOutput.shape()));
    }
    long c = preOutput.size(1);
    INDArray all = labels.castTo(preOutput.dataType());
    INDArray y = all.get(NDArrayIndex.all(), NDArrayIndex.interval(0, c));
    INDArray q = Transforms.pow(all.get(NDArrayIndex.all(), NDArrayIndex.interval(c, 2 * c)), 1 / temperature, true);
    q.diviColumnVector(q.sum(true, 1));
    return new Parts(y, q, logSoftmax(preOutput), logSoftmax(preOutput.div(temperature)));
  }

  /** {@code x - logsumexp(x)} along each row, shifted by the row maximum so exp cannot overflow. */
  private static INDArray logSoftmax(INDArray x) {
    INDArray shifted = x.subColumnVector(x.max(true, 1));
    INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
    return shifted.subiColumnVector(logSum);
  }

  /** {@code perExample} with each row scaled by the per-example mask; per-output masks are refused. */
  private static INDArray masked(INDArray perExample, INDArray mask, INDArray preOutput) {
    if (mask == null) {
      return perExample;
    }
    long n = preOutput.size(0);
    if (mask.length() != n) {
      throw new UnsupportedOperationException(
          "DistillationLoss supports per-example masks ([N, 1]) only, found mask "
              + Arrays.toString(mask.shape()) + " for outputs " + Arrays.toString(preOutput.shape())
              + "; drop the label mask or make it one value per example");
    }
    return perExample.muliColumnVector(mask.reshape(n, 1).castTo(perExample.dataType()));
  }

  @Override
  public String name() {
    return toString();
  }

  @Override
  public String toString() {
    return "DistillationLoss(T=" + temperature + ", alpha=" + alpha + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DistillationLoss other
        && Double.compare(temperature, other.temperature) == 0
        && Double.compare(alpha, other.alpha) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * Double.hashCode(temperature) + Double.hashCode(alpha);
  }
}
