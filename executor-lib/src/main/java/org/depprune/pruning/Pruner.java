package org.depprune.pruning;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;
import org.depprune.graph.Pruning;
import org.depprune.importance.Importance;
import org.depprune.metrics.MacCounter;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * The pruning loop, in the spirit of Torch-Pruning's pruners: a target ratio for the network or
 * per layer, local (each group by its own ratio), global (channels ranked across groups) or
 * isomorphic (ranked across groups of the same structure),
 * a maximum ratio per group, ignored layers, channel counts rounded to a multiple, iterative
 * pruning over several steps with an optional finetune between steps (Molchanov et al.'s loop),
 * or a MACs target instead of a ratio. Built with {@link #builder(Importance)}.
 */
public final class Pruner {
  private final Importance importance;
  private final double ratio;
  private final Map<String, Double> layerRatios;
  private final boolean global;
  private final boolean isomorphic;
  private final double maxRatio;
  private final int roundTo;
  private final int steps;
  private final Set<String> ignored;
  private final InputType[] inputTypes;
  private final double targetMacs;
  private final UnaryOperator<Model> betweenSteps;

  private Pruner(Builder b) {
    this.importance = b.importance;
    this.ratio = b.ratio;
    this.layerRatios = Map.copyOf(b.layerRatios);
    this.global = b.global;
    this.isomorphic = b.isomorphic;
    this.maxRatio = b.maxRatio;
    this.roundTo = b.roundTo;
    this.steps = b.steps;
    this.ignored = Set.copyOf(b.ignored);
    this.inputTypes = b.inputTypes;
    this.targetMacs = b.targetMacs;
    this.betweenSteps = b.betweenSteps;
  }

  public static Builder builder(Importance importance) {
    return new Builder(importance);
  }

  /**
   * What a run produced: the pruned network, one replayable {@link Pruning} per step (each
   * applies to the previous step's network), the share of the base's MACs kept when the run
   * knew the input types (else NaN), and the network ratio it pruned by: the one given, or the
   * one a MACs target's bisection reached.
   */
  public record Result(Model network, List<Pruning> steps, double macsKept, double ratio) {
    public Result {
      steps = List.copyOf(steps);
    }
  }

  /** Prunes {@code base} (which is not modified). */
  public Result run(Model base) {
    if (targetMacs > 0) {
      return runToMacs(base);
    }
    return runWithRatio(base);
  }

  private Result runWithRatio(Model base) {
    DepGraph baseGraph = graph(base);
    layerRatios.keySet().forEach(baseGraph::node); // unknown layer names fail here, listing the real ones
    Map<String, Integer> original = new HashMap<>();
    baseGraph.prunableGroups().forEach(g -> original.put(g.id(), g.channels()));
    Model current = base;
    List<Pruning> done = new ArrayList<>();
    for (int step = 1; step <= steps; step++) {
      DepGraph graph = step == 1 ? baseGraph : graph(current);
      double fraction = (double) step / steps;
      Pruning pruning = plan(graph, original, fraction);
      current = graph.prune(pruning);
      done.add(pruning);
      if (betweenSteps != null && step < steps) {
        current = betweenSteps.apply(current);
      }
    }
    return new Result(current, done, macsKept(base, current), ratio);
  }

  /** Bisects a uniform ratio until the pruned network's MACs fall under the target. */
  private Result runToMacs(Model base) {
    long baseMacs = MacCounter.count(base, inputTypes).macs();
    double low = 0;
    double high = maxRatio;
    Result best = null;
    for (int i = 0; i < 12; i++) {
      double mid = (low + high) / 2;
      Result r = new Pruner(copyWithRatio(mid)).runWithRatio(base);
      if (MacCounter.count(r.network(), inputTypes).macs() <= targetMacs * baseMacs) {
        best = r;
        high = mid;
      } else {
        low = mid;
      }
    }
    if (best == null) {
      Result r = new Pruner(copyWithRatio(high)).runWithRatio(base);
      throw new IllegalArgumentException(String.format(
          "MACs target %.1f%% of the base is out of reach: pruning %.0f%% of every group leaves"
              + " %.1f%%; raise the target or the maximum ratio per group", 100 * targetMacs,
          100 * high, 100 * r.macsKept()));
    }
    return best;
  }

  private Builder copyWithRatio(double newRatio) {
    Builder b = new Builder(importance);
    b.ratio = newRatio;
    b.layerRatios.putAll(layerRatios);
    b.global = global;
    b.isomorphic = isomorphic;
    b.maxRatio = maxRatio;
    b.roundTo = roundTo;
    b.steps = steps;
    b.ignored.addAll(ignored);
    b.inputTypes = inputTypes;
    b.betweenSteps = betweenSteps;
    return b;
  }

  private DepGraph graph(Model net) {
    DepGraph.Builder b = DepGraph.builder(net).optIgnoredLayers(ignored);
    if (inputTypes != null) {
      b.optInputTypes(inputTypes);
    }
    return b.build();
  }

  private double macsKept(Model base, Model pruned) {
    if (inputTypes == null) {
      return Double.NaN;
    }
    return (double) MacCounter.count(pruned, inputTypes).macs() / MacCounter.count(base, inputTypes).macs();
  }

  /** This step's removals: the step's share of each group's target, locally or globally. */
  private Pruning plan(DepGraph graph, Map<String, Integer> original, double fraction) {
    List<Group> groups = graph.prunableGroups();
    Map<Group, double[]> scores = new HashMap<>();
    Map<Group, Integer> removeCount = new HashMap<>();
    Map<Group, Integer> maxRemove = new HashMap<>();
    for (Group g : groups) {
      int n0 = original.getOrDefault(g.id(), g.channels());
      double r = layerRatios.getOrDefault(g.root(), ratio);
      int targetKept = kept(n0, Math.min(r * fraction, maxRatio));
      int floorKept = kept(n0, maxRatio);
      removeCount.put(g, Math.max(0, g.channels() - targetKept));
      maxRemove.put(g, Math.max(0, g.channels() - floorKept));
      scores.put(g, importance.scores(graph, g));
    }
    List<Pruning.Step> stepsOut = new ArrayList<>();
    if (!global) {
      for (Group g : groups) {
        int[] lowest = lowest(scores.get(g), removeCount.get(g));
        if (lowest.length > 0) {
          stepsOut.add(graph.step(g, lowest));
        }
      }
      return Pruning.of(stepsOut);
    }
    if (!isomorphic) {
      stepsOut.addAll(rankedTogether(graph, groups, scores, removeCount, maxRemove));
    } else {
      Map<String, List<Group>> classes = new java.util.LinkedHashMap<>();
      for (Group g : groups) {
        classes.computeIfAbsent(Isomorphism.signature(graph, g), k -> new ArrayList<>()).add(g);
      }
      for (List<Group> isomorphicGroups : classes.values()) {
        stepsOut.addAll(rankedTogether(graph, isomorphicGroups, scores, removeCount, maxRemove));
      }
    }
    return Pruning.of(stepsOut);
  }

  /**
   * Global ranking over {@code groups}: their removal targets are pooled and the lowest-scoring
   * channels among all of them go, each group losing at most its maximum.
   */
  private List<Pruning.Step> rankedTogether(DepGraph graph, List<Group> groups, Map<Group, double[]> scores,
      Map<Group, Integer> removeCount, Map<Group, Integer> maxRemove) {
    record Candidate(Group group, int channel, double score) {}
    List<Candidate> all = new ArrayList<>();
    int total = 0;
    for (Group g : groups) {
      double[] s = scores.get(g);
      for (int c = 0; c < s.length; c++) {
        all.add(new Candidate(g, c, s[c]));
      }
      total += removeCount.get(g);
    }
    all.sort(Comparator.comparingDouble(Candidate::score).thenComparing(c -> c.group().id()).thenComparingInt(Candidate::channel));
    Map<Group, List<Integer>> chosen = new HashMap<>();
    int taken = 0;
    for (Candidate c : all) {
      if (taken == total) {
        break;
      }
      List<Integer> list = chosen.computeIfAbsent(c.group(), k -> new ArrayList<>());
      if (list.size() < maxRemove.get(c.group())) {
        list.add(c.channel());
        taken++;
      }
    }
    List<Pruning.Step> stepsOut = new ArrayList<>();
    for (Group g : groups) {
      List<Integer> list = chosen.getOrDefault(g, List.of());
      int n = g.channels();
      int keep = roundKept(n - list.size(), n);
      int[] remove = lowest(scores.get(g), n - keep);
      if (remove.length > 0) {
        stepsOut.add(graph.step(g, remove));
      }
    }
    return stepsOut;
  }

  /** Channels kept of {@code n} at ratio {@code r}: {@code n - floor(n r)}, rounded, at least 1. */
  private int kept(int n, double r) {
    return roundKept(n - (int) Math.floor(n * r), n);
  }

  /** Rounds a kept count up to a multiple of round-to (never above n, never below 1). */
  private int roundKept(int keep, int n) {
    int rounded = roundTo <= 1 ? keep : (int) Math.ceil(keep / (double) roundTo) * roundTo;
    return Math.max(1, Math.min(n, rounded));
  }

  /** The {@code count} lowest-scoring channels, ascending; ties go to the lower index. */
  static int[] lowest(double[] scores, int count) {
    return IntStream.range(0, scores.length).boxed()
        .sorted(Comparator.<Integer>comparingDouble(c -> scores[c]).thenComparing(c -> c))
        .limit(Math.max(0, count))
        .mapToInt(Integer::intValue)
        .sorted()
        .toArray();
  }

  /** Options; {@link #build()} validates them. */
  public static final class Builder {
    private final Importance importance;
    private double ratio = 0.5;
    private final Map<String, Double> layerRatios = new HashMap<>();
    private boolean global;
    private boolean isomorphic;
    private double maxRatio = 1.0;
    private int roundTo = 1;
    private int steps = 1;
    private final java.util.Set<String> ignored = new java.util.HashSet<>();
    private InputType[] inputTypes;
    private double targetMacs;
    private UnaryOperator<Model> betweenSteps;

    private Builder(Importance importance) {
      this.importance = java.util.Objects.requireNonNull(importance, "importance");
    }

    /** The share of each group's channels to remove, in [0, 1) (default 0.5). */
    public Builder optRatio(double ratio) {
      this.ratio = ratio;
      return this;
    }

    /** Ratios for the groups rooted at these layers, overriding the network ratio. */
    public Builder optLayerRatios(Map<String, Double> ratios) {
      this.layerRatios.putAll(ratios);
      return this;
    }

    /** Rank channels across groups (on the criterion's normalised scores) instead of per group. */
    public Builder optGlobal(boolean global) {
      this.global = global;
      return this;
    }

    /**
     * Global ranking only among isomorphic groups (Fang et al., ECCV 2024; see
     * {@link Isomorphism}): each class of groups with the same structure pools its removal
     * targets and ranks its channels together, so a class loses exactly its share and scores on
     * different scales are never compared. Implies global ranking within each class.
     */
    public Builder optIsomorphic(boolean isomorphic) {
      this.isomorphic = isomorphic;
      if (isomorphic) {
        this.global = true;
      }
      return this;
    }

    /** The most any group may lose, in (0, 1] (default 1: only the last channel is kept). */
    public Builder optMaxRatio(double maxRatio) {
      this.maxRatio = maxRatio;
      return this;
    }

    /** Round every group's kept channel count up to a multiple of this (default 1). */
    public Builder optRoundTo(int roundTo) {
      this.roundTo = roundTo;
      return this;
    }

    /** Reach the target in this many equal steps (default 1). */
    public Builder optSteps(int steps) {
      this.steps = steps;
      return this;
    }

    /** Layers whose OUT channels are never pruned. */
    public Builder optIgnoredLayers(Set<String> layers) {
      this.ignored.addAll(layers);
      return this;
    }

    /** The network inputs' types: for MACs, and for graphs whose input widths need them. */
    public Builder optInputTypes(InputType... types) {
      this.inputTypes = types.clone();
      return this;
    }

    /** Prune until the MACs are at most this share of the base's, in (0, 1]; needs input types. */
    public Builder optTargetMacs(double share) {
      this.targetMacs = share;
      return this;
    }

    /** Called with the network after every step but the last: a finetune (Molchanov's loop). */
    public Builder optBetweenSteps(UnaryOperator<Model> finetune) {
      this.betweenSteps = finetune;
      return this;
    }

    public Pruner build() {
      if (!(ratio >= 0 && ratio < 1)) {
        throw new IllegalArgumentException("pruning ratio must be in [0, 1), found " + ratio);
      }
      layerRatios.forEach((layer, r) -> {
        if (!(r >= 0 && r < 1)) {
          throw new IllegalArgumentException("ratio of layer '" + layer + "' must be in [0, 1), found " + r);
        }
      });
      if (!(maxRatio > 0 && maxRatio <= 1)) {
        throw new IllegalArgumentException("maximum ratio per group must be in (0, 1], found " + maxRatio);
      }
      if (roundTo < 1) {
        throw new IllegalArgumentException("round-to must be at least 1, found " + roundTo);
      }
      if (steps < 1) {
        throw new IllegalArgumentException("steps must be at least 1, found " + steps);
      }
      if (targetMacs != 0 && !(targetMacs > 0 && targetMacs <= 1)) {
        throw new IllegalArgumentException("MACs target must be a share in (0, 1], found " + targetMacs);
      }
      if (targetMacs > 0 && inputTypes == null) {
        throw new IllegalArgumentException("a MACs target needs the input types: optInputTypes(...)");
      }
      return new Pruner(this);
    }
  }
}
