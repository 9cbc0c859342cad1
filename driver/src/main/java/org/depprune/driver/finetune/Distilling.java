package org.depprune.driver.finetune;

import java.io.Serializable;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.depprune.model.ModelFiles;
import org.depprune.network.Network;
import org.depprune.train.DistillationLoss;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Knowledge distillation in the data-parallel finetune: the tasks that build the minibatches
 * append the base model's probabilities to the labels (the base model travels as its bytes, loaded
 * once per task), and the master network's output layer trains with a {@link DistillationLoss},
 * which travels to the workers in its configuration; {@link #restore} puts the layer's own loss
 * back before anything scores the network.
 */
record Distilling(double temperature, double alpha, byte[] baseBytes) implements Serializable {

  /** The teacher, in this task. */
  Network teacher() throws java.io.IOException {
    return Network.of(ModelFiles.load(baseBytes, "the base model (teacher)"));
  }

  /** Sets {@code net}'s output layer to the distillation loss; returns its own loss. */
  static ILossFunction use(Model net, Distilling d) {
    BaseOutputLayer output = output(net);
    ILossFunction own = output.getLossFn();
    output.setLossFn(new DistillationLoss(d.temperature(), d.alpha()));
    return own;
  }

  /** Puts {@code own} back as {@code net}'s output loss. */
  static void restore(Model net, ILossFunction own) {
    output(net).setLossFn(own);
  }

  private static BaseOutputLayer output(Model net) {
    Network n = Network.of(net);
    String name = n.outputs().get(0);
    return n.runtimeLayers().stream().map(l -> l.conf().getLayer())
        .filter(l -> name.equals(l.getLayerName()) && l instanceof BaseOutputLayer).map(l -> (BaseOutputLayer) l)
        .findFirst().orElseThrow(() -> new IllegalArgumentException("distillation needs the network's output '" + name
            + "' to be an OutputLayer with softmax"));
  }
}
