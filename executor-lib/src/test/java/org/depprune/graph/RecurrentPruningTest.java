package org.depprune.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.depprune.importance.Criteria;
import org.depprune.metrics.MacCounter;
import org.depprune.network.ConfigCopies;
import org.depprune.pruning.RatioPruner;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Pruning a bidirectional LSTM classifier, then training it; and why its configuration is deep-copied. */
class RecurrentPruningTest {

  private static Bidirectional bi(MultiLayerNetwork net) {
    return (Bidirectional) net.getLayerWiseConfigurations().getConf(0).getLayer();
  }

  /** LSTM parameters: W [nIn, 4n], RW [n, 4n], b [4n]. */
  private static long lstmParams(long nIn, long n) {
    return nIn * 4 * n + n * 4 * n + 4 * n;
  }

  /** SimpleRnn's layer norm normalises over the units: refused with the reason, alone or wrapped. */
  @Test
  void aSimpleRnnWithLayerNormIsRefusedWithTheReason() {
    var rnn = new org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn.Builder().nOut(4).hasLayerNorm(true).build();
    for (org.deeplearning4j.nn.conf.layers.Layer layer : new org.deeplearning4j.nn.conf.layers.Layer[] {
        rnn, new Bidirectional(Bidirectional.Mode.ADD, rnn.clone())}) {
      MultiLayerNetwork net = new MultiLayerNetwork(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
          .seed(2).list()
          .layer(new LSTM.Builder().nOut(5).build())
          .layer(layer)
          .layer(new RnnOutputLayer.Builder().nOut(2).build())
          .setInputType(InputType.recurrent(3, 4)).build());
      net.init();
      DepGraph graph = DepGraph.of(net);
      for (String group : new String[] {"layer0", "layer1"}) {
        String why = graph.group(group).blocked().orElseThrow();
        assertTrue(why.contains("its layer norm normalises each step over all 4 units"), why);
      }
    }
  }

  @Test
  void halvingTheBiLstmClassifierKeepsItTrainable() {
    MultiLayerNetwork net = (MultiLayerNetwork) RecurrentFixtures.biLstmClassifier().net();
    assertEquals(2 * lstmParams(3, 6) + 12 * 2 + 2, net.numParams());

    RatioPruner.Result result = RatioPruner.prune(DepGraph.of(net), 0.5, Criteria.byName("magnitude", 1));
    MultiLayerNetwork pruned = (MultiLayerNetwork) result.network();

    Bidirectional layer = bi(pruned);
    assertEquals(3, ((LSTM) layer.getFwd()).getNOut(), "forward units halved");
    assertEquals(3, ((LSTM) layer.getBwd()).getNOut(), "backward units halved");
    assertEquals(6, layer.getNOut(), "CONCAT: both directions' kept units");
    RnnOutputLayer out = (RnnOutputLayer) pruned.getLayerWiseConfigurations().getConf(1).getLayer();
    assertEquals(6, out.getNIn(), "the consumer reads 2 x the kept units");
    assertEquals(2 * lstmParams(3, 3) + 6 * 2 + 2, pruned.numParams());
    assertEquals(6, ((LSTM) bi(net).getFwd()).getNOut(), "the original's configuration is untouched");
    assertEquals(2 * lstmParams(3, 6) + 12 * 2 + 2, net.numParams());

    INDArray features = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(5), 4, 3, 5);
    INDArray labels = Nd4j.zeros(4, 2, 5);
    for (int i = 0; i < 4; i++) {
      for (int t = 0; t < 5; t++) {
        labels.putScalar(new int[] {i, (i + t) % 2, t}, 1.0);
      }
    }
    Map<String, INDArray> before = copy(pruned.getLayer(0).paramTable());
    before.putAll(prefixed("out_", copy(pruned.getLayer(1).paramTable())));
    pruned.fit(new DataSet(features, labels));
    Map<String, INDArray> after = copy(pruned.getLayer(0).paramTable());
    after.putAll(prefixed("out_", copy(pruned.getLayer(1).paramTable())));
    assertEquals(before.keySet(), after.keySet());
    for (String key : before.keySet()) {
      INDArray value = after.get(key);
      assertTrue(java.util.Arrays.stream(value.data().asDouble()).allMatch(Double::isFinite), key + " is finite after a step");
      assertFalse(before.get(key).equalsWithEps(value, 0), key + " changed in the step");
    }
  }

  @Test
  void dl4jClonesShareTheLayersABidirectionalWraps() {
    MultiLayerNetwork net = (MultiLayerNetwork) RecurrentFixtures.biLstmClassifier().net();
    MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
    // DL4J 1.0.0-M2.1: Bidirectional does not override Layer.clone(), a shallow copy.
    assertSame(bi(net).getFwd(), ((Bidirectional) conf.clone().getConf(0).getLayer()).getFwd());
    assertSame(bi(net).getFwd(), bi(net.clone()).getFwd());
    assertSame(bi(net).initializer(), bi(net.clone()).getInitializer(), "and the cached initializer");
    Bidirectional copy = (Bidirectional) ConfigCopies.of(conf).getConf(0).getLayer();
    assertNotSame(bi(net).getFwd(), copy.getFwd());
    assertNotSame(bi(net).getBwd(), copy.getBwd());
    assertEquals(bi(net), copy, "an equal configuration");
  }

  @Test
  void bidirectionalMacsCountBothDirections() {
    MultiLayerNetwork net = (MultiLayerNetwork) RecurrentFixtures.biLstmClassifier().net();
    long lstm = 5L * 4 * 6 * (3 + 6); // T 4 n (nIn + n)
    // DL4J's Bidirectional.getOutputType in CONCAT mode drops the sequence length, so the output
    // layer after it is counted for one step.
    InputType concat = net.getLayerWiseConfigurations().getLayerActivationTypes(InputType.recurrent(3, 5)).get(0);
    assertEquals(-1, ((InputType.InputTypeRecurrent) concat).getTimeSeriesLength());
    long output = 12 * 2;
    assertEquals(2 * lstm + output, MacCounter.count(net, InputType.recurrent(3, 5)).macs());
  }

  private static Map<String, INDArray> copy(Map<String, INDArray> params) {
    Map<String, INDArray> copy = new java.util.LinkedHashMap<>();
    params.forEach((k, v) -> copy.put(k, v.dup()));
    return copy;
  }

  private static Map<String, INDArray> prefixed(String prefix, Map<String, INDArray> params) {
    Map<String, INDArray> out = new java.util.LinkedHashMap<>();
    params.forEach((k, v) -> out.put(prefix + k, v));
    return out;
  }
}
