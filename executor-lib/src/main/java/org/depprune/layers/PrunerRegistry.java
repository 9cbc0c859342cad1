package org.depprune.layers;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.PoolHelperVertex;
import org.deeplearning4j.nn.conf.graph.UnstackVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.layers.AutoEncoder;
import org.deeplearning4j.nn.conf.layers.CapsuleLayer;
import org.deeplearning4j.nn.conf.layers.Cnn3DLossLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1D;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.Pooling1D;
import org.deeplearning4j.nn.conf.layers.Pooling2D;
import org.deeplearning4j.nn.conf.layers.SpaceToBatchLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling3DLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling3D;
import org.deeplearning4j.nn.conf.layers.ZeroPadding3DLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping1D;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping3D;
import org.deeplearning4j.nn.conf.layers.misc.ElementWiseMultiplicationLayer;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling1D;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPadding1DLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToRnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.graph.rnn.DuplicateToTimeSeriesVertex;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.graph.rnn.ReverseTimeSeriesVertex;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GravesBidirectionalLSTM;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.misc.RepeatVector;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.conf.layers.util.MaskLayer;
import org.deeplearning4j.nn.conf.layers.util.MaskZeroLayer;

/**
 * The layer and preprocessor pruners a dependency graph uses, and the MACs rules the metrics
 * use, by exact configuration class (a subclass such as {@code Deconvolution2D} lays its weights
 * out differently from its parent, so nothing is inherited). Instances are independent: {@link #defaults()} returns a new registry
 * each time, and registering a pruner changes only that registry.
 */
public final class PrunerRegistry {
  private final Map<Class<?>, LayerPruner<?>> layers = new HashMap<>();
  private final Map<Class<?>, PreprocessorPruner<?>> preprocessors = new HashMap<>();
  private final Map<Class<?>, LayerCost<?>> costs = new HashMap<>();
  private final Map<Class<?>, String> refusals = new HashMap<>();

  /** An empty registry. */
  public PrunerRegistry() {}

  /** A new registry with every pruner DepPrune ships. */
  public static PrunerRegistry defaults() {
    PrunerRegistry registry = new PrunerRegistry();
    registry.register(new ConvolutionPruner<>(ConvolutionLayer.class, 0, 1, false));
    registry.register(new Convolution1DPruner<>(Convolution1DLayer.class));
    registry.register(new ConvolutionPruner<>(Deconvolution2D.class, 1, 0, true));
    registry.register(new DepthwisePruner());
    registry.register(new SeparablePruner());
    registry.register(new RecurrentPruner<>(LSTM.class, 4));
    registry.register(new RecurrentPruner<>(SimpleRnn.class, 1));
    registry.register(new EmbeddingPruner<>(EmbeddingLayer.class));
    registry.register(new CenterLossPruner());
    registry.register(new DensePruner<>(RnnOutputLayer.class));
    registry.register(new SpaceToDepthPruner());
    registry.register(new PReLUPruner());
    registry.register(new PassThroughPruner<>(LossLayer.class));
    registry.register(new PassThroughPruner<>(CnnLossLayer.class));
    registry.register(new PassThroughPruner<>(Yolo2OutputLayer.class));
    registry.register(new DensePruner<>(DenseLayer.class));
    registry.register(new DensePruner<>(OutputLayer.class));
    registry.register(new BatchNormPruner());
    registry.register(new PassThroughPruner<>(ActivationLayer.class));
    registry.register(new PassThroughPruner<>(DropoutLayer.class));
    registry.register(new PassThroughPruner<>(SubsamplingLayer.class, (pool, in, out) ->
        Cost.other(out.arrayElementsPerExample() * pool.getKernelSize()[0] * pool.getKernelSize()[1])));
    registry.register(new PassThroughPruner<>(Subsampling1DLayer.class));
    registry.register(new PassThroughPruner<>(GlobalPoolingLayer.class, (pool, in, out) ->
        Cost.other(in.get(0).arrayElementsPerExample())));
    registry.register(new PassThroughPruner<>(ZeroPaddingLayer.class));
    registry.register(new PassThroughPruner<>(ZeroPadding1DLayer.class));
    registry.register(new PassThroughPruner<>(Cropping2D.class));
    registry.register(new PassThroughPruner<>(Upsampling2D.class));
    registry.register(new PassThroughPruner<>(Upsampling1D.class));
    registry.register(new PassThroughPruner<>(LocalResponseNormalization.class));
    registry.register(new PassThroughPruner<>(ScaleVertex.class));
    registry.register(new PassThroughPruner<>(ShiftVertex.class));
    registry.register(new PassThroughPruner<>(L2NormalizeVertex.class));
    registry.register(new VertexPruners.Merge());
    registry.register(new VertexPruners.ElementWise());
    registry.register(new VertexPruners.Subset());
    registry.register(new IdentityPreprocessorPruner<>(RnnToFeedForwardPreProcessor.class));
    registry.register(new IdentityPreprocessorPruner<>(FeedForwardToRnnPreProcessor.class));
    // Reshapes: every preprocessor between channels and flat features, and the shape vertices.
    registry.register(new ReshapePruners.CnnToFeedForward());
    registry.register(new ReshapePruners.TensorFlowCnnToFeedForward());
    registry.register(new ReshapePruners.CnnToRnn());
    registry.register(new ReshapePruners.Cnn3DToFeedForward());
    registry.register(new ReshapePruners.KerasFlattenRnn());
    registry.register(new ReshapePruners.FeedForwardToCnn());
    registry.register(new ReshapePruners.RnnToCnn());
    registry.register(new ReshapePruners.FeedForwardToCnn3D());
    registry.register(new KerasReshapePruner());
    registry.register(new ComposablePruner(registry));
    registry.register(new ShapeVertexPruners.Preprocessor(registry));
    registry.register(new ShapeVertexPruners.Reshape());
    registry.register(new ShapeVertexPruners.Stack());
    registry.register(new ShapeVertexPruners.L2());
    registry.register(new PassThroughPruner<>(UnstackVertex.class));
    registry.register(new PassThroughPruner<>(PoolHelperVertex.class));
    // Recurrent layers, their wrappers and the rnn vertices (the wrappers look up the pruner of
    // the layer they wrap in this registry).
    registry.register(new GravesLstmPruner<>(GravesLSTM.class, ""));
    registry.register(new GravesLstmPruner<>(GravesBidirectionalLSTM.class, "F", "B"));
    registry.register(new BidirectionalPruner(registry));
    registry.register(new WrapperPruner<>(LastTimeStep.class, registry));
    registry.register(new WrapperPruner<>(MaskZeroLayer.class, registry));
    registry.register(new WrapperPruner<>(TimeDistributed.class, registry));
    registry.register(new EmbeddingPruner<>(EmbeddingSequenceLayer.class));
    registry.register(new PassThroughPruner<>(RnnLossLayer.class));
    registry.register(new PassThroughPruner<>(MaskLayer.class));
    registry.register(new PassThroughPruner<>(RepeatVector.class));
    registry.register(new PassThroughPruner<>(LastTimeStepVertex.class));
    registry.register(new PassThroughPruner<>(ReverseTimeSeriesVertex.class));
    registry.register(new PassThroughPruner<>(DuplicateToTimeSeriesVertex.class));
    // Volumes and miscellany: 3D convolutions and their shape layers, locally connected layers,
    // the exact subclasses Convolution2D/1D and Pooling2D/1D (same layouts as their parents),
    // space-to-batch, element-wise multiplication, autoencoder, primary capsules (inputs only).
    registry.register(new ConvolutionPruner<>(Convolution2D.class, 0, 1, false));
    registry.register(new Convolution1DPruner<>(Convolution1D.class));
    registry.register(new PassThroughPruner<>(Pooling2D.class, (pool, in, out) ->
        Cost.other(out.arrayElementsPerExample() * pool.getKernelSize()[0] * pool.getKernelSize()[1])));
    registry.register(new PassThroughPruner<>(Pooling1D.class));
    registry.register(new ConvolutionPruner<>(Convolution3D.class, 0, 1, false));
    registry.register(new ConvolutionPruner<>(Deconvolution3D.class, 3, 4, true));
    registry.register(new PassThroughPruner<>(Subsampling3DLayer.class, (pool, in, out) ->
        Cost.other(out.arrayElementsPerExample()
            * pool.getKernelSize()[0] * pool.getKernelSize()[1] * pool.getKernelSize()[2])));
    registry.register(new PassThroughPruner<>(Upsampling3D.class));
    registry.register(new PassThroughPruner<>(Cropping3D.class));
    registry.register(new PassThroughPruner<>(ZeroPadding3DLayer.class));
    registry.register(new PassThroughPruner<>(Cnn3DLossLayer.class));
    registry.register(new PassThroughPruner<>(Cropping1D.class));
    registry.register(new PassThroughPruner<>(SpaceToBatchLayer.class));
    registry.register(new LocallyConnectedPruner.TwoD());
    registry.register(new LocallyConnectedPruner.OneD());
    registry.register(new ElementWiseMultiplicationPruner());
    registry.register(new AutoEncoderPruner());
    registry.register(new PrimaryCapsulesPruner());
    // A capsule layer is not pruned (see Refusals) but counted: the prediction vectors
    // (IC x C*D x ID), then per routing the weighted sum and, but for the last, the agreement.
    registry.registerCost(CapsuleLayer.class, (caps, in, out) -> {
      long predictions = caps.getInputCapsules() * caps.getCapsules() * caps.getCapsuleDimensions();
      return Cost.macs(predictions * caps.getInputCapsuleDimensions() + predictions * (2L * caps.getRoutings() - 1));
    });
    // Attention: heads (or per-head dimensions) are INNER channels; see withAttentionHeads.
    registerAttention(registry, AttentionMode.HEADS);
    Refusals.addTo(registry);
    return registry;
  }

  /**
   * A copy that also prunes {@code FrozenLayer}s, like the layers they wrap (by default frozen
   * layers are left alone: their groups are refused).
   */
  public PrunerRegistry withFrozenLayers() {
    PrunerRegistry copy = copy();
    copy.register(new FrozenLayerPruner(copy()));
    return copy;
  }

  /**
   * A copy whose attention layers prune in {@code mode}: whole heads ({@link AttentionMode#HEADS},
   * the default of {@link #defaults()}: pruning sets {@code nHeads}) or the same dimensions of
   * every head ({@link AttentionMode#DIMS}: pruning sets {@code headSize}).
   */
  public PrunerRegistry withAttentionHeads(AttentionMode mode) {
    PrunerRegistry copy = copy();
    registerAttention(copy, mode);
    return copy;
  }

  private static void registerAttention(PrunerRegistry registry, AttentionMode mode) {
    registry.register(new SelfAttentionPruner(mode));
    registry.register(new RecurrentAttentionPruner(mode));
    registry.register(new AttentionVertexPruner(mode));
  }

  /** A copy that can be changed without touching this registry. */
  public PrunerRegistry copy() {
    PrunerRegistry copy = new PrunerRegistry();
    copy.layers.putAll(layers);
    copy.preprocessors.putAll(preprocessors);
    copy.costs.putAll(costs);
    copy.refusals.putAll(refusals);
    // Pruners that look members up in their registry look them up in the copy.
    copy.layers.replaceAll((type, p) -> p instanceof ShapeVertexPruners.Preprocessor v ? v.boundTo(copy)
        : p instanceof WrapperPruner<?> w ? w.boundTo(copy)
        : p instanceof BidirectionalPruner b ? b.boundTo(copy) : p);
    copy.preprocessors.replaceAll((type, p) -> p instanceof ComposablePruner c ? c.boundTo(copy) : p);
    return copy;
  }

  /** Adds (or replaces) the pruner for {@code pruner.type()}. */
  public PrunerRegistry register(LayerPruner<?> pruner) {
    layers.put(pruner.type(), pruner);
    return this;
  }

  /** Adds (or replaces) the preprocessor pruner for {@code pruner.type()}. */
  public PrunerRegistry register(PreprocessorPruner<?> pruner) {
    preprocessors.put(pruner.type(), pruner);
    return this;
  }

  /**
   * Records why {@code type} (a layer, vertex or preprocessor class) is not pruned: the error a
   * graph gives for it then says why, not only that no pruner is registered. A pruner registered
   * for the type later takes precedence.
   */
  public PrunerRegistry refuse(Class<?> type, String reason) {
    refusals.put(type, reason);
    return this;
  }

  /** Why exactly {@code type} is not pruned, if a reason was recorded and no pruner registered. */
  public Optional<String> refusal(Class<?> type) {
    if (layers.containsKey(type) || preprocessors.containsKey(type)) {
      return Optional.empty();
    }
    return Optional.ofNullable(refusals.get(type));
  }

  /** Every type with a recorded refusal and no pruner (for the coverage table). */
  public Map<Class<?>, String> refusals() {
    Map<Class<?>, String> open = new HashMap<>(refusals);
    open.keySet().removeAll(layers.keySet());
    open.keySet().removeAll(preprocessors.keySet());
    return Map.copyOf(open);
  }

  /** The pruner registered for exactly {@code type} (for the coverage table), or null. */
  public LayerPruner<?> layerPruner(Class<?> type) {
    return layers.get(type);
  }

  /** The preprocessor pruner registered for exactly {@code type}, or null. */
  public PreprocessorPruner<?> preprocessorPruner(Class<?> type) {
    return preprocessors.get(type);
  }

  /** Every registered preprocessor pruner's type. */
  public java.util.Set<Class<?>> preprocessorTypes() {
    return java.util.Set.copyOf(preprocessors.keySet());
  }

  /**
   * Adds (or replaces) the MACs rule of a type that is counted but has no pruner here; a type
   * with a registered {@link LayerPruner} uses the pruner's own rule.
   */
  public <T> PrunerRegistry registerCost(Class<T> type, LayerCost<T> cost) {
    costs.put(type, cost);
    return this;
  }

  /**
   * The MACs rule for exactly {@code config}'s class: its pruner's, else a rule registered with
   * {@link #registerCost}, else, for a frozen wrapper ({@code FrozenLayer},
   * {@code FrozenLayerWithBackprop}), the rule of the layer it wraps (freezing a layer does not
   * change what its forward pass costs).
   */
  @SuppressWarnings("unchecked")
  public <T> Optional<LayerCost<T>> cost(T config) {
    LayerCost<?> rule = layers.containsKey(config.getClass()) ? layers.get(config.getClass()) : costs.get(config.getClass());
    if (rule != null) {
      return Optional.of((LayerCost<T>) rule);
    }
    Layer wrapped = config instanceof FrozenLayer f ? f.getLayer()
        : config instanceof FrozenLayerWithBackprop b ? b.getUnderlying() : null;
    if (wrapped == null) {
      return Optional.empty();
    }
    return cost(wrapped).map(inner -> (LayerCost<T>) (ignored, in, out) -> inner.cost(wrapped, in, out));
  }

  /** The pruner for exactly {@code config}'s class. */
  @SuppressWarnings("unchecked")
  public <T> Optional<LayerPruner<T>> layer(T config) {
    return Optional.ofNullable((LayerPruner<T>) layers.get(config.getClass()));
  }

  /** The pruner for exactly {@code preProcessor}'s class. */
  @SuppressWarnings("unchecked")
  public <T extends InputPreProcessor> Optional<PreprocessorPruner<T>> preprocessor(T preProcessor) {
    return Optional.ofNullable((PreprocessorPruner<T>) preprocessors.get(preProcessor.getClass()));
  }

  /** Every registered layer pruner's type (for contract tests and documentation). */
  public java.util.Set<Class<?>> layerTypes() {
    return java.util.Set.copyOf(layers.keySet());
  }
}
