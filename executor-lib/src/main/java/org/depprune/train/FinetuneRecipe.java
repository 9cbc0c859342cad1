package org.depprune.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.depprune.network.Network;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * How a network is finetuned after pruning: the optimizer, the learning rate, its schedule over the
 * finetune, and weight decay. A pruned network inherits its base model's updater configuration,
 * which was chosen to train from scratch (a from-scratch rate, a schedule that starts again at
 * epoch 0 after the rebuild), and that is not always a rate the trained weights survive: a
 * recipe says what to use instead.
 *
 * <ul>
 *   <li><b>Rate</b>: {@code learningRate} times {@code lrFactor}, or (0) the rate the base model's
 *       training ended at times {@code lrFactor}, but never above the rate its training started at
 *       (each layer's updater schedule at the iteration and epoch the base model records, and at
 *       0; a fixed rate is both). A pruned copy's counters start again at 0, so the rate is read
 *       off the base model. On the committed base model (Adam, 2e-3 decayed to 3.4e-4 over 8
 *       epochs) factor 3 gives 1e-3: BENCHMARKS.md compares rates.
 *   <li><b>Schedule</b> over the finetune's steps: {@link LrSchedule#CONSTANT}, or
 *       {@link LrSchedule#COSINE} from the rate down to 0 (Loshchilov and Hutter, SGDR, 2017,
 *       without restarts): {@code rate * (1 + cos(pi * t / steps)) / 2} at step {@code t}.
 *   <li><b>Optimizer</b>: {@link Optimizer#MODEL} keeps each layer's updater type and its other
 *       settings (Adam's betas, a momentum); the others replace it.
 *   <li><b>Weight decay</b> above 0 replaces the weights' regularization by DL4J's decoupled
 *       {@link WeightDecay} (Loshchilov and Hutter, AdamW, 2019); biases are not decayed. 0 keeps
 *       the model's own regularization.
 * </ul>
 *
 * <p>Every finetune starts from a fresh updater state. {@link #start} applies the recipe and the
 * returned {@link Session} puts the network's own updater configuration back when closed, so a
 * saved model carries the configuration it came with and no class of DepPrune's.
 *
 * <pre>{@code
 * FinetuneRecipe recipe = FinetuneRecipe.builder().optLrFactor(0.5).optSchedule(LrSchedule.COSINE).build();
 * try (var session = recipe.start(pruned, base, steps)) {
 *   Trainer.fit(pruned, batches, 1);
 * }
 * }</pre>
 */
public record FinetuneRecipe(Optimizer optimizer, double learningRate, double lrFactor, LrSchedule schedule,
    double weightDecay) implements Serializable {

  /** Which optimizer the finetune uses. */
  public enum Optimizer {
    /** Each layer's own updater type and settings, at the recipe's rate. */
    MODEL,
    /** Adam (Kingma and Ba, 2015) with DL4J's default betas. */
    ADAM,
    /** Plain stochastic gradient descent. */
    SGD,
    /** SGD with Nesterov momentum 0.9. */
    NESTEROVS;

    /** The name a config writes: {@code model}, {@code adam}, {@code sgd}, {@code nesterovs}. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How the rate moves over the finetune's steps. */
  public enum LrSchedule {
    CONSTANT, COSINE;

    /** The name a config writes: {@code constant}, {@code cosine}. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The share of the rate at step {@code step} of {@code steps}. */
    public double factor(long step, long steps) {
      if (this == CONSTANT || steps <= 0) {
        return 1;
      }
      double t = Math.min(1, Math.max(0, (double) step / steps));
      return 0.5 * (1 + Math.cos(Math.PI * t));
    }
  }

  public FinetuneRecipe {
    if (optimizer == null || schedule == null) {
      throw new IllegalArgumentException("a finetune recipe needs an optimizer and a schedule");
    }
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("the finetune learning rate must be >= 0 (0: the model's own), found "
          + learningRate);
    }
    if (!(lrFactor > 0) || Double.isInfinite(lrFactor)) {
      throw new IllegalArgumentException("the finetune learning-rate factor must be > 0, found " + lrFactor);
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("the finetune weight decay must be >= 0 (0: the model's own), found "
          + weightDecay);
    }
  }

  /** The model's own updater and rate, constant: how trials finetuned before recipes existed. */
  public static FinetuneRecipe model() {
    return new FinetuneRecipe(Optimizer.MODEL, 0, 1, LrSchedule.CONSTANT, 0);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The peak rate of a finetune of a copy of {@code base}: {@link #learningRate}, or the rate
   * {@code base}'s first layer with a learning rate ended its training at, times {@link #lrFactor}.
   */
  public double peakRate(Model base) {
    if (learningRate > 0) {
      return learningRate * lrFactor;
    }
    for (BaseLayer layer : layers(base)) {
      IUpdater u = layer.getIUpdater();
      if (u != null && u.hasLearningRate()) {
        Network net = Network.of(base);
        return rate(u, net.iterationCount(), net.epochCount());
      }
    }
    return endRateOf(base); // throws: no layer has a rate
  }

  /** The rate a layer whose own updater is {@code own} finetunes at, from its training's end. */
  private double rate(IUpdater own, int endIteration, int endEpoch) {
    if (learningRate > 0) {
      return learningRate * lrFactor;
    }
    return Math.min(own.getLearningRate(endIteration, endEpoch) * lrFactor, own.getLearningRate(0, 0));
  }

  /**
   * The rate the first layer of {@code model} with a learning rate ended its training at: its
   * updater's schedule at the iteration and epoch the model records.
   */
  public static double endRateOf(Model model) {
    Network net = Network.of(model);
    for (BaseLayer layer : layers(model)) {
      IUpdater u = layer.getIUpdater();
      if (u != null && u.hasLearningRate()) {
        return u.getLearningRate(net.iterationCount(), net.epochCount());
      }
    }
    throw new IllegalArgumentException("the model has no layer whose updater has a learning rate: give the finetune "
        + "an optimizer and a rate (search.finetune.optimizer, search.finetune.learning-rate)");
  }

  /**
   * Applies the recipe to {@code net} for a finetune of {@code steps} minibatches: sets each layer's
   * updater and rate schedule (with {@link #learningRate} 0, the rate that layer's updater ended
   * {@code base}'s training at, times {@link #lrFactor}, so layers with rates of their own keep
   * their ratios) and weight decay, and resets the updater state. Close the session to put the
   * network's own configuration back.
   *
   * @param base the model {@code net} was pruned from (or {@code net} itself): its iteration and
   *     epoch counters say where its training ended
   */
  public Session start(Model net, Model base, long steps) {
    if (learningRate == 0) {
      endRateOf(base); // a clear error for a model without a rate
    }
    Network baseNet = Network.of(base);
    int endIteration = baseNet.iterationCount();
    int endEpoch = baseNet.epochCount();
    Network network = Network.of(net);
    List<Runnable> restore = new ArrayList<>();
    long first = network.iterationCount();
    for (BaseLayer layer : layers(net)) {
      IUpdater own = layer.getIUpdater();
      IUpdater ownBias = layer.getBiasUpdater();
      List<Regularization> reg = layer.getRegularization();
      List<Regularization> regBias = layer.getRegularizationBias();
      restore.add(() -> {
        layer.setIUpdater(own);
        layer.setBiasUpdater(ownBias);
        layer.setRegularization(reg);
        layer.setRegularizationBias(regBias);
      });
      layer.setIUpdater(updater(own, endIteration, endEpoch, first, steps));
      if (ownBias != null) {
        layer.setBiasUpdater(updater(ownBias, endIteration, endEpoch, first, steps));
      }
      if (weightDecay > 0) {
        layer.setRegularization(List.of(new WeightDecay(weightDecay, true)));
        layer.setRegularizationBias(List.of());
      }
    }
    network.resetUpdater();
    return new Session(network, restore);
  }

  /** The updater a layer trains with under this recipe, from its own {@code own}. */
  private IUpdater updater(IUpdater own, int endIteration, int endEpoch, long first, long steps) {
    if (own == null || !own.hasLearningRate()) {
      return own; // NoOp (a frozen or statistics-only parameter) stays as it is
    }
    double rate = rate(own, endIteration, endEpoch);
    ISchedule shape = new StepsSchedule(rate, schedule, first, steps);
    IUpdater u = switch (optimizer) {
      case MODEL -> own.clone();
      case ADAM -> new Adam();
      case SGD -> new Sgd();
      case NESTEROVS -> new Nesterovs(rate, 0.9);
    };
    u.setLrAndSchedule(Double.NaN, shape);
    return u;
  }

  private static List<BaseLayer> layers(Model model) {
    List<BaseLayer> layers = new ArrayList<>();
    for (org.deeplearning4j.nn.api.Layer l : Network.of(model).runtimeLayers()) {
      if (l.conf() != null && l.conf().getLayer() instanceof BaseLayer b) {
        layers.add(b);
      }
    }
    return layers;
  }

  /** How the console names the recipe, e.g. {@code model optimizer, 3.0 x the rate training ended at, cosine}. */
  public String describe() {
    String rate = learningRate > 0 ? String.format(Locale.ROOT, "rate %s", learningRate * lrFactor)
        : String.format(Locale.ROOT, "%s x the rate training ended at", lrFactor);
    return optimizer.key() + " optimizer, " + rate + ", " + schedule.key()
        + (weightDecay > 0 ? String.format(Locale.ROOT, ", weight decay %s", weightDecay) : "");
  }

  /** A recipe applied to a network; {@link #close} restores the network's own updater configuration. */
  public static final class Session implements AutoCloseable {
    private final Network network;
    private final List<Runnable> restore;

    private Session(Network network, List<Runnable> restore) {
      this.network = network;
      this.restore = restore;
    }

    @Override
    public void close() {
      restore.forEach(Runnable::run);
      network.resetUpdater();
    }
  }

  /** Builds a recipe: the model's own updater and rate, constant, unless told otherwise. */
  public static final class Builder {
    private Optimizer optimizer = Optimizer.MODEL;
    private double learningRate;
    private double lrFactor = 1;
    private LrSchedule schedule = LrSchedule.CONSTANT;
    private double weightDecay;

    public Builder optOptimizer(Optimizer o) {
      this.optimizer = o;
      return this;
    }

    public Builder optLearningRate(double rate) {
      this.learningRate = rate;
      return this;
    }

    public Builder optLrFactor(double factor) {
      this.lrFactor = factor;
      return this;
    }

    public Builder optSchedule(LrSchedule s) {
      this.schedule = s;
      return this;
    }

    public Builder optWeightDecay(double decay) {
      this.weightDecay = decay;
      return this;
    }

    public FinetuneRecipe build() {
      return new FinetuneRecipe(optimizer, learningRate, lrFactor, schedule, weightDecay);
    }
  }
}
