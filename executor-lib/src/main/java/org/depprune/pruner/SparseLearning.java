package org.depprune.pruner;

import java.util.HashMap;
import java.util.Map;
import org.depprune.prune.NetworkRebuilder;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sparse learning hooked into DL4J training: a listener that adds a penalty's gradient to the
 * loss gradient after DL4J computes it and before the updater applies it. DL4J's gradient at that
 * point is the minibatch sum, so penalties are scaled by the batch size to act on the mean loss.
 * Subclasses say which penalty; {@link #forEachChannelSlice} walks a group's parameters channel
 * by channel, the way group criteria do.
 */
public abstract class SparseLearning extends BaseTrainingListener {
  private final Map<String, String> gradientPrefix = new HashMap<>();

  @Override
  public final void onGradientCalculation(Model model) {
    Map<String, INDArray> gradients = model.gradient().gradientForVariable();
    addPenalty(model, gradients, Math.max(1, model.batchSize()));
  }

  /** Adds the penalty's gradient, times {@code batchSize}, to {@code gradients} in place. */
  protected abstract void addPenalty(Model model, Map<String, INDArray> gradients, int batchSize);

  /** The gradient of {@code layer}'s parameter {@code key}, or null. */
  protected INDArray gradient(Model model, Map<String, INDArray> gradients, String layer, String key) {
    return gradients.get(prefix(model, layer) + "_" + key);
  }

  private String prefix(Model model, String layer) {
    if (!(model instanceof MultiLayerNetwork sequential)) {
      return layer;
    }
    return gradientPrefix.computeIfAbsent(layer, name -> {
      var conf = sequential.getLayerWiseConfigurations();
      for (int i = 0; i < conf.getConfs().size(); i++) {
        if (NetworkRebuilder.layerName(conf, i).equals(name)) {
          return String.valueOf(i);
        }
      }
      throw new IllegalArgumentException("no layer named '" + name + "'");
    });
  }

}
