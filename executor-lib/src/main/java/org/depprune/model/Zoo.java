package org.depprune.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.zoo.ZooModel;
import org.deeplearning4j.zoo.model.AlexNet;
import org.deeplearning4j.zoo.model.Darknet19;
import org.deeplearning4j.zoo.model.FaceNetNN4Small2;
import org.deeplearning4j.zoo.model.InceptionResNetV1;
import org.deeplearning4j.zoo.model.LeNet;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.SimpleCNN;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.deeplearning4j.zoo.model.TinyYOLO;
import org.deeplearning4j.zoo.model.UNet;
import org.deeplearning4j.zoo.model.VGG16;
import org.deeplearning4j.zoo.model.VGG19;
import org.deeplearning4j.zoo.model.Xception;
import org.deeplearning4j.zoo.model.YOLO2;

/**
 * DL4J's zoo architectures by name, built offline with random weights and 10 classes (their
 * pretrained weights need the internet): the real-world models DepPrune is tested on.
 */
public final class Zoo {
  private static final Map<String, Supplier<ZooModel>> MODELS = models();

  private Zoo() {}

  /** The zoo names, in a stable order. */
  public static List<String> names() {
    return List.copyOf(MODELS.keySet());
  }

  /** The zoo model called {@code name} (see {@link #names()}), initialised with seed 123. */
  public static Model create(String name) {
    return zooModel(name).init();
  }

  /** The input shape of one example, e.g. {@code [3, 224, 224]}. */
  public static int[] inputShape(String name) {
    return zooModel(name).metaData().getInputShape()[0];
  }

  /** The network input's type: convolutional, from {@link #inputShape}. */
  public static InputType inputType(String name) {
    int[] shape = inputShape(name);
    return InputType.convolutional(shape[1], shape[2], shape[0]);
  }

  private static ZooModel zooModel(String name) {
    Supplier<ZooModel> model = MODELS.get(name.toLowerCase(java.util.Locale.ROOT));
    if (model == null) {
      throw new IllegalArgumentException(
          "unknown zoo model '" + name + "'; choose one of " + String.join(", ", MODELS.keySet()));
    }
    return model.get();
  }

  private static Map<String, Supplier<ZooModel>> models() {
    Map<String, Supplier<ZooModel>> m = new LinkedHashMap<>();
    m.put("lenet", () -> LeNet.builder().numClasses(10).build());
    m.put("simplecnn", () -> SimpleCNN.builder().numClasses(10).build());
    m.put("alexnet", () -> AlexNet.builder().numClasses(10).build());
    m.put("vgg16", () -> VGG16.builder().numClasses(10).build());
    m.put("vgg19", () -> VGG19.builder().numClasses(10).build());
    m.put("resnet50", () -> ResNet50.builder().numClasses(10).build());
    m.put("squeezenet", () -> SqueezeNet.builder().numClasses(10).build());
    m.put("darknet19", () -> Darknet19.builder().numClasses(10).build());
    m.put("tinyyolo", () -> TinyYOLO.builder().numClasses(10).build());
    m.put("yolo2", () -> YOLO2.builder().numClasses(10).build());
    m.put("unet", () -> UNet.builder().numClasses(10).build());
    m.put("xception", () -> Xception.builder().numClasses(10).build());
    m.put("inceptionresnetv1", () -> InceptionResNetV1.builder().numClasses(10).build());
    m.put("facenetnn4small2", () -> FaceNetNN4Small2.builder().numClasses(10).build());
    return m;
  }
}
