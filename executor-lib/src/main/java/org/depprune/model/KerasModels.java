package org.depprune.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Keras models saved as HDF5 ({@code model.save("m.h5")} in Keras 2, or tf.keras with
 * {@code save_format="h5"}), imported through DL4J's own Keras importer: a {@code Sequential}
 * model becomes a {@link org.deeplearning4j.nn.multilayer.MultiLayerNetwork}, a functional
 * {@code Model} a {@link org.deeplearning4j.nn.graph.ComputationGraph}. Training configuration
 * (loss, optimizer) is not enforced, so inference-only files load too; their softmax output
 * layer gets a cross-entropy loss so that the network can be finetuned ({@link #trainable}).
 *
 * <p>Layers keep Keras's data layout: a {@code channels_last} model imports with NHWC
 * convolutions and takes {@code [n, height, width, channels]} input, as in Keras.
 */
public final class KerasModels {
  /** The eight bytes every HDF5 file starts with. */
  private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  private static final ObjectMapper JSON = new ObjectMapper();

  /** DL4J's "Unsupported keras layer type X" and similar messages name the Keras class so. */
  private static final Pattern LAYER_TYPE = Pattern.compile("layer type (\\w+)");

  private KerasModels() {}

  /** Whether {@code head}, a file's first bytes (at least 8), starts with the HDF5 signature. */
  public static boolean isHdf5(byte[] head) {
    return head != null
        && head.length >= HDF5_SIGNATURE.length
        && Arrays.equals(head, 0, HDF5_SIGNATURE.length, HDF5_SIGNATURE, 0, HDF5_SIGNATURE.length);
  }

  /**
   * Imports the Keras HDF5 model in {@code h5}.
   *
   * @throws IllegalArgumentException if the file is not HDF5, holds no Keras model, or holds a
   *     layer or setting DL4J's importer does not support; the message names the file, the Keras
   *     layer (name and class) where it can tell, and what to do
   */
  public static Model load(Path h5) throws IOException {
    return load(h5, h5.toString());
  }

  /**
   * Imports a Keras HDF5 model held in {@code bytes} (DL4J's importer reads files only, so they
   * go through a temporary file); {@code source} names them in error messages.
   *
   * @see #load(Path)
   */
  public static Model load(byte[] bytes, String source) throws IOException {
    Path tmp = Files.createTempFile("depprune-keras-", ".h5");
    try {
      Files.write(tmp, bytes);
      return load(tmp, source);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Model load(Path h5, String source) throws IOException {
    byte[] head = new byte[HDF5_SIGNATURE.length];
    try (InputStream in = Files.newInputStream(h5)) {
      in.readNBytes(head, 0, head.length);
    }
    if (!isHdf5(head)) {
      throw new IllegalArgumentException("Keras model " + source + " is not an HDF5 file;"
          + " save the model from Keras 2 as .h5 (model.save(\"model.h5\"), or"
          + " save_format=\"h5\" in tf.keras): DL4J imports neither SavedModel directories nor"
          + " Keras 3 .keras archives");
    }
    String file = h5.toAbsolutePath().toString();
    JsonNode config = modelConfig(file, source);
    boolean sequential = "Sequential".equals(config.path("class_name").asText());
    Model imported;
    try {
      imported = sequential
          ? KerasModelImport.importKerasSequentialModelAndWeights(file, false)
          : KerasModelImport.importKerasModelAndWeights(file, false);
    } catch (UnsupportedKerasConfigurationException | InvalidKerasConfigurationException e) {
      throw new IllegalArgumentException(explain(source, config, e), e);
    }
    return trainable(imported);
  }

  /**
   * The imported network made trainable, with the same weights and outputs. A Keras file saved
   * without its training configuration imports its last layer as a plain dense layer, which DL4J
   * cannot train: a softmax one becomes an {@code OutputLayer} with cross-entropy (multi-class)
   * loss. And the importer gives every layer a dropout that keeps everything (p = 1), whose
   * backward pass fails on NHWC convolutions in DL4J 1.0.0-M2.1 ("Op [multiply] execution
   * failed" in {@code Dropout.backprop}): it is removed. Keras's own {@code Dropout} layers import
   * as DL4J dropout layers and stay.
   */
  static Model trainable(Model model) {
    if (model instanceof MultiLayerNetwork mln) {
      MultiLayerConfiguration conf = mln.getLayerWiseConfigurations().clone();
      conf.getConfs().forEach(c -> dropNoOpDropout(c.getLayer()));
      NeuralNetConfiguration last = conf.getConf(conf.getConfs().size() - 1);
      OutputLayer output = softmaxOutput(last.getLayer());
      if (output != null) {
        last.setLayer(output);
      }
      MultiLayerNetwork trainable = new MultiLayerNetwork(conf);
      trainable.init(mln.params().dup(), false);
      return trainable;
    }
    if (model instanceof ComputationGraph graph) {
      ComputationGraphConfiguration conf = graph.getConfiguration().clone();
      conf.getVertices().values().stream().filter(v -> v instanceof LayerVertex)
          .forEach(v -> dropNoOpDropout(((LayerVertex) v).getLayerConf().getLayer()));
      for (String name : conf.getNetworkOutputs()) {
        if (conf.getVertices().get(name) instanceof LayerVertex vertex) {
          OutputLayer output = softmaxOutput(vertex.getLayerConf().getLayer());
          if (output != null) {
            vertex.getLayerConf().setLayer(output);
          }
        }
      }
      ComputationGraph trainable = new ComputationGraph(conf);
      trainable.init(graph.params().dup(), false);
      return trainable;
    }
    return model;
  }

  private static void dropNoOpDropout(Layer layer) {
    if (layer.getIDropout() instanceof Dropout d && d.getPSchedule() == null && d.getP() >= 1.0) {
      layer.setIDropout(null);
    }
  }

  /** The output layer that replaces a softmax dense layer, or null when {@code layer} is not one. */
  private static OutputLayer softmaxOutput(Layer layer) {
    if (!(layer instanceof DenseLayer dense) || !(dense.getActivationFn() instanceof ActivationSoftmax)) {
      return null;
    }
    OutputLayer output = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
        .nIn(dense.getNIn()).nOut(dense.getNOut()).activation(dense.getActivationFn()).hasBias(dense.hasBias())
        .name(dense.getLayerName()).build();
    output.setIUpdater(dense.getIUpdater());
    output.setBiasUpdater(dense.getBiasUpdater());
    output.setWeightInitFn(dense.getWeightInitFn());
    return output;
  }

  /** The root attribute {@code model_config}: the Keras model's config as JSON. */
  private static JsonNode modelConfig(String file, String source) throws IOException {
    try (Hdf5Archive archive = new Hdf5Archive(file)) {
      if (!archive.hasAttribute("model_config")) {
        throw new IllegalArgumentException("HDF5 file " + source + " holds no Keras model"
            + " (no model_config attribute): it may hold weights only (model.save_weights);"
            + " save the whole model with model.save(\"model.h5\")");
      }
      return JSON.readTree(archive.readAttributeAsJson("model_config"));
    } catch (UnsupportedKerasConfigurationException e) {
      throw new IllegalArgumentException(
          "cannot read the model_config of Keras model " + source + ": " + e.getMessage(), e);
    }
  }

  /** DL4J's complaint, with the Keras layers it concerns and what to do about it. */
  private static String explain(String source, JsonNode config, Exception e) {
    String dl4j = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    List<String> culprits = culprits(config, dl4j);
    String what = culprits.isEmpty()
        ? "a layer or setting"
        : (culprits.size() == 1 ? "layer " : "layers ") + String.join(", ", culprits);
    String todo = e instanceof UnsupportedKerasConfigurationException
        ? "replace it with a layer DL4J's Keras import supports, or export the model from Keras"
            + " without it"
        : "re-save the model with Keras 2 (model.save(\"model.h5\")) and check the layer's config";
    return "cannot import Keras model " + source + ": " + what + " not supported by DL4J's Keras"
        + " import (" + dl4j + "); " + todo;
  }

  /**
   * The layers, as {@code 'name' (Class)}, whose class DL4J's message names ("layer type X"),
   * or failing that whose name or class appears in it.
   */
  private static List<String> culprits(JsonNode config, String message) {
    var type = LAYER_TYPE.matcher(message);
    String named = type.find() ? type.group(1) : null;
    List<String> byType = new ArrayList<>();
    List<String> mentioned = new ArrayList<>();
    for (JsonNode layer : layers(config)) {
      String cls = layer.path("class_name").asText();
      String name = layer.path("config").path("name").asText(layer.path("name").asText());
      String label = "'" + name + "' (" + cls + ")";
      if (cls.equals(named)) {
        byType.add(label);
      } else if (mentions(message, name) || mentions(message, cls)) {
        mentioned.add(label);
      }
    }
    return byType.isEmpty() ? mentioned : byType;
  }

  private static boolean mentions(String message, String word) {
    return !word.isEmpty()
        && Pattern.compile("(?<![\\w])" + Pattern.quote(word) + "(?![\\w])").matcher(message).find();
  }

  /** The layer configs: Keras 2.2.4 wrote a Sequential's as a bare list, later ones under "layers". */
  private static JsonNode layers(JsonNode config) {
    JsonNode inner = config.path("config");
    return inner.isArray() ? inner : inner.path("layers");
  }
}
