package org.depprune.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.depprune.metrics.ComputeLock;
import org.depprune.network.Network;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adaptive batch-norm recalibration (Li et al., "EagleEye: Fast Sub-net Evaluation for Efficient
 * Neural Network Pruning", ECCV 2020, arXiv:2007.02491): re-estimates every batch-norm layer's
 * running mean and variance on a few training batches, with no gradient step. Pruning changes
 * the activations that reach a batch-norm layer, so the statistics it learned on the base network
 * no longer match them; EagleEye shows that the accuracy of the recalibrated (not yet finetuned)
 * network ranks pruning candidates far better than the accuracy with stale statistics.
 *
 * <p>For each channel {@code c} of each batch-norm layer, over all {@code M} values of that
 * channel in all batches (examples, times height and width for images):
 *
 * <pre>{@code
 * mu_c = (1/M) sum x_c,   sigma2_c = (1/M) sum (x_c - mu_c)^2   ->   running mean, running variance
 * }</pre>
 *
 * <p><b>Exact pooled statistics, not a momentum average.</b> EagleEye runs PyTorch's training
 * mode, where each batch moves the running statistics by a momentum step. This computes the mean
 * and population variance of all examples of all batches exactly ({@link ChannelMoments}), so the
 * result does not depend on the momentum, on the batch order or on the statistics before.
 *
 * <p><b>Training mode for batch norm, inference mode for everything else.</b> As in EagleEye,
 * the inputs are those of a training-mode forward pass: every batch-norm layer normalises with
 * its batch's own statistics, so each layer sees the batch-normalised outputs of the layers
 * before it, and one forward pass per batch serves all layers in graph order. Dropout (and weight
 * noise) must not touch these activations, but DL4J's single {@code train} flag would switch them
 * on together with batch norm's batch statistics. So {@link Network#batchNormInputs} walks the
 * network itself with {@code training = true} for the batch-norm layers only: no configuration is
 * edited, not even for a moment, and the pass is exactly training-mode batch norm without
 * dropout. (The other choice, recomputing the layers one by one in inference mode with the
 * earlier layers already recalibrated, would need one pass per layer and would normalise
 * upstream with the pooled statistics rather than each batch's, unlike EagleEye.)
 *
 * <p><b>What DL4J stores.</b> DL4J 1.0.0-M2.1 keeps the running mean in parameter
 * {@code "mean"} and the running variance either as {@code "var"}, the population variance
 * itself, or, when the layer's {@code useLogStd} is set (the default), as {@code "log10stdev"} =
 * {@code log10(sqrt(var))}; {@code eps} is not stored but added at inference, which normalises
 * by {@code sqrt(var + eps)}. These are what DL4J's own update writes (its backprop moves
 * {@code var} towards the batch's population variance, without {@code eps}), and so are the
 * values written here. A channel of variance 0 would give {@code log10(0) = -inf}; it stores the
 * variance {@code Float.MIN_NORMAL} instead, which normalises the same since {@code eps}
 * dominates.
 *
 * <p><b>Nothing else changes</b>: weights, biases, gamma, beta and the updater state stay
 * bit-equal, the network's stored inputs are left as they were, and the layers' stored inputs
 * and masks are cleared as after an inference pass. A batch-norm layer wrapped in a
 * {@code FrozenLayer} is left alone, as training leaves it.
 */
public final class BatchNormRecalibration {
  private BatchNormRecalibration() {}

  /**
   * What a recalibration did.
   *
   * @param layers the number of batch-norm layers whose running statistics were rewritten
   * @param examples the number of examples the statistics were computed on
   */
  public record Result(int layers, long examples) {}

  /**
   * Recomputes the running statistics of every batch-norm layer of {@code model} (a
   * {@code ComputationGraph} of one input or a {@code MultiLayerNetwork}) on one pass of
   * {@code batches}, reset first when it supports it. A network without batch norm is left as
   * it is and the iterator is not read.
   *
   * @throws IllegalArgumentException when the iterator yields no examples, when a batch has a
   *     features mask, or when a batch-norm layer's input is neither {@code [N, F]} nor 4-D
   */
  public static Result recalibrate(Model model, DataSetIterator batches) {
    Network net = Network.of(model);
    Map<String, BatchNormalization> layers = new LinkedHashMap<>();
    for (Network.Vertex v : net.vertices()) {
      if (v.kind() == Network.Kind.LAYER && v.config() instanceof BatchNormalization bn) {
        layers.put(v.name(), bn);
      }
    }
    if (layers.isEmpty()) {
      return new Result(0, 0);
    }
    Map<String, ChannelMoments> moments = new LinkedHashMap<>();
    layers.keySet().forEach(name -> moments.put(name,
        new ChannelMoments((int) net.params(name).get(BatchNormalizationParamInitializer.GLOBAL_MEAN).length())));

    if (batches.resetSupported()) {
      batches.reset();
    }
    long examples = 0;
    while (batches.hasNext()) {
      DataSet batch = batches.next();
      if (batch.getFeaturesMaskArray() != null) {
        throw new IllegalArgumentException("batch-norm recalibration takes unmasked batches, found a features"
            + " mask: pass fixed-length examples");
      }
      if (batch.numExamples() == 0) {
        continue;
      }
      // Compute, like a minibatch: it pauses while another trial's latency is measured.
      ComputeLock.shared(() -> {
        Map<String, INDArray> inputs = net.batchNormInputs(batch.getFeatures());
        layers.forEach((name, bn) -> {
          INDArray x = inputs.get(name);
          if (x == null) {
            throw new IllegalStateException("the forward pass did not reach batch-norm layer '" + name + "'");
          }
          moments.get(name).add(x, channelAxis(name, bn, x));
        });
      });
      examples += batch.numExamples();
    }
    if (examples == 0) {
      throw new IllegalArgumentException("the recalibration iterator yielded no examples: pass an iterator over"
          + " a few batches of training data (EagleEye uses a few hundred images)");
    }
    layers.forEach((name, bn) -> write(net, name, bn, moments.get(name)));
    return new Result(layers.size(), examples);
  }

  /** Where a batch-norm layer's channels are: features of {@code [N, F]}, axis 1 (NCHW) or 3 (NHWC) of images. */
  private static int channelAxis(String name, BatchNormalization bn, INDArray x) {
    return switch (x.rank()) {
      case 2 -> 1;
      case 4 -> bn.getCnn2DFormat() == CNN2DFormat.NHWC ? 3 : 1;
      default -> throw new IllegalArgumentException("batch-norm layer '" + name + "' gets input of shape "
          + Arrays.toString(x.shape()) + "; recalibration handles dense [N, F] and image NCHW/NHWC inputs only");
    };
  }

  private static void write(Network net, String name, BatchNormalization bn, ChannelMoments m) {
    double[] var = m.variance();
    net.setParam(name, BatchNormalizationParamInitializer.GLOBAL_MEAN, Nd4j.createFromArray(m.mean()));
    if (bn.isUseLogStd()) {
      double[] log10Std = new double[var.length];
      for (int c = 0; c < var.length; c++) {
        log10Std[c] = 0.5 * Math.log10(Math.max(var[c], Float.MIN_NORMAL));
      }
      net.setParam(name, BatchNormalizationParamInitializer.GLOBAL_LOG_STD, Nd4j.createFromArray(log10Std));
    } else {
      net.setParam(name, BatchNormalizationParamInitializer.GLOBAL_VAR, Nd4j.createFromArray(var));
    }
  }
}
