package org.depprune.train;

import java.util.List;
import org.depprune.network.Network;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Finetuning a pruned network (the student) with knowledge distillation from the unpruned one
 * (the teacher), after Hinton, Vinyals and Dean (2015): the student learns from the labels and
 * from the teacher's softened probabilities at once, by {@link DistillationLoss}
 * {@code L = (1 - alpha) CE(y, softmax(z)) + alpha T^2 KL(softmax(t/T) || softmax(z/T))}.
 *
 * <p>How: {@link TeacherLabels} appends the teacher's probabilities to each batch's labels, and
 * the student's output layer trains with a {@code DistillationLoss} in place of its own loss
 * function for the duration of {@link #fit}; the original is put back afterwards, also when
 * training throws, so a saved student carries its plain loss. DL4J accepts labels wider than the
 * output: its output layer hands the labels to the loss function untouched, and the runtime layer
 * reads the loss function from its configuration at every step.
 *
 * <pre>{@code
 * Model teacher = ModelFiles.load(base);
 * Model student = pruner.run(teacher).network();
 * Distillation.fit(student, teacher, finetuneData, 1, 4.0, 0.7);
 * }</pre>
 */
public final class Distillation {
  private Distillation() {}

  /**
   * Trains {@code student} for {@code epochs} passes over {@code data} with {@link Trainer#fit}
   * and the distillation loss, and returns the mean loss of each pass.
   *
   * @param teacher a different network with the same number of softmax outputs; it is only run
   *     in inference mode and never changed
   * @param temperature {@code T > 0}
   * @param alpha the weight of the teacher's term, in {@code [0, 1]}
   */
  public static List<Double> fit(
      Model student, Model teacher, DataSetIterator data, int epochs, double temperature, double alpha) {
    DistillationLoss loss = new DistillationLoss(temperature, alpha);
    if (student == teacher) {
      throw new IllegalArgumentException(
          "the student and the teacher are the same network; distil from a copy (model.clone())");
    }
    Network studentNet = Network.of(student);
    Network teacherNet = Network.of(teacher);
    BaseOutputLayer output = softmaxOutput(studentNet, "student");
    long teacherClasses = softmaxOutput(teacherNet, "teacher").getNOut();
    if (output.getNOut() != teacherClasses) {
      throw new IllegalArgumentException(
          "the student has " + output.getNOut() + " outputs but the teacher has " + teacherClasses
              + "; distillation needs both to score the same classes");
    }
    ILossFunction original = output.getLossFn();
    output.setLossFn(loss);
    try {
      return Trainer.fit(student, new TeacherLabels(data, teacherNet), epochs);
    } finally {
      output.setLossFn(original);
    }
  }

  /**
   * The configuration of {@code net}'s single output layer, which must be a softmax
   * {@code BaseOutputLayer}. It is the object the runtime layer reads its loss function from.
   */
  static BaseOutputLayer softmaxOutput(Network net, String role) {
    List<String> outputs = net.outputs();
    if (outputs.size() != 1) {
      throw new IllegalArgumentException(
          "distillation needs a " + role + " with one output, found " + outputs.size() + " " + outputs);
    }
    String name = outputs.get(0);
    Object config = net.vertices().stream().filter(v -> v.name().equals(name)).findFirst()
        .map(Network.Vertex::config).orElse(null);
    if (!(config instanceof BaseOutputLayer layer)) {
      throw new IllegalArgumentException(
          "distillation needs the " + role + "'s output '" + name + "' to be an OutputLayer, found "
              + (config == null ? "none" : config.getClass().getSimpleName()));
    }
    if (!(layer.getActivationFn() instanceof ActivationSoftmax)) {
      throw new IllegalArgumentException(
          "distillation needs the " + role + "'s output layer '" + name + "' to use softmax, found "
              + layer.getActivationFn() + "; build it with .activation(Activation.SOFTMAX)");
    }
    return layer;
  }
}
