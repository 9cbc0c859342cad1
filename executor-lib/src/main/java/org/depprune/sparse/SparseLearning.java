package org.depprune.sparse;

import java.util.HashMap;
import java.util.Map;
import org.depprune.network.Network;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sparse learning hooked into DL4J training: a listener that adds a penalty's gradient to the
 * loss gradient after DL4J computes it and before the updater applies it. DL4J's gradient at that
 * point is the minibatch sum, so penalties are scaled by the batch size to act on the mean loss.
 * Subclasses say which penalty; {@link org.depprune.importance.ChannelSlices} walks a group's
 * parameters channel by channel, the way group criteria do.
 */
public abstract class SparseLearning extends BaseTrainingListener {
  /** DL4J's gradient name of each (layer, key) asked for, looked up once: this runs every step. */
  private final Map<String, String> gradientKeys = new HashMap<>();

  @Override
  public final void onGradientCalculation(Model model) {
    Map<String, INDArray> gradients = model.gradient().gradientForVariable();
    addPenalty(model, gradients, Math.max(1, model.batchSize()));
  }

  /** Adds the penalty's gradient, times {@code batchSize}, to {@code gradients} in place. */
  protected abstract void addPenalty(Model model, Map<String, INDArray> gradients, int batchSize);

  /** The gradient of {@code layer}'s parameter {@code key}, or null. */
  protected INDArray gradient(Model model, Map<String, INDArray> gradients, String layer, String key) {
    String name = gradientKeys.computeIfAbsent(layer + "\u0000" + key, k -> Network.of(model).gradientKey(layer, key));
    return gradients.get(name);
  }
}
