package org.depprune.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.depprune.layers.PrunerRegistry;
import org.depprune.layers.Slots;
import org.depprune.network.Network;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * The dependency graph of a {@code ComputationGraph} or {@code MultiLayerNetwork}, built from its
 * configuration. It lists the groups of coupled channels and prunes them, returning a new network
 * and never touching the original.
 *
 * <pre>{@code
 * DepGraph graph = DepGraph.of(net);
 * Group group = graph.group("stem");                  // stem, its BN, both residual adds, ...
 * Model pruned = graph.prune(Pruning.of(List.of(new Pruning.Step("stem", Side.OUT, new int[] {0, 5}))));
 * }</pre>
 */
public final class DepGraph {
  private final Network network;
  private final PrunerRegistry registry;
  private final Map<String, Node> nodes;
  private final List<String> order;
  private final Slots slots;
  private final Map<Integer, String> blockedRoots = new HashMap<>();
  private final List<Group> groups = new ArrayList<>();
  /** Per group root: the root slot of each of its channels, in channel order. */
  private final Map<String, int[]> channelRoots = new LinkedHashMap<>();

  private DepGraph(Network network, PrunerRegistry registry, Set<String> ignored, Map<String, InputType> inputTypes) {
    this.network = network;
    this.registry = registry;
    List<Network.Vertex> vertices = network.vertices();
    Set<String> names = new TreeSet<>();
    vertices.forEach(v -> names.add(v.name()));
    for (String layer : ignored) {
      if (!names.contains(layer)) {
        throw new IllegalArgumentException(unknownLayer(layer, names));
      }
    }
    SlotAssigner assigner = new SlotAssigner(registry, ignored, inputTypes);
    assigner.assign(network);
    this.nodes = Map.copyOf(assigner.nodes());
    this.order = vertices.stream().map(Network.Vertex::name).toList();
    this.slots = assigner.slots();
    assigner.blockedSlots().forEach((slot, reason) -> blockedRoots.putIfAbsent(slots.find(slot), reason));
    findGroups();
  }

  /** The graph of {@code net} with DepPrune's pruners, nothing ignored. */
  public static DepGraph of(Model net) {
    return builder(net).build();
  }

  /** A builder for a graph with options: a registry, ignored layers, input types. */
  public static Builder builder(Model net) {
    return new Builder(net);
  }

  /** Every group, prunable or not, in the topological order of their roots. */
  public List<Group> groups() {
    return List.copyOf(groups);
  }

  /** The groups that can be pruned. */
  public List<Group> prunableGroups() {
    return groups.stream().filter(Group::prunable).toList();
  }

  /**
   * The group whose channels are {@code layer}'s OUT channels: the group it is the root of, or
   * the one group its output belongs to.
   */
  public Group group(String layer) {
    for (Group g : groups) {
      if (g.id().equals(layer)) {
        return g;
      }
    }
    Node node = node(layer);
    Set<Group> found = new LinkedHashSet<>();
    if (node.outSlots() != null) {
      for (int slot : node.outSlots()) {
        groupOfRoot(slots.find(slot)).ifPresent(found::add);
      }
    }
    if (found.size() != 1) {
      throw new IllegalArgumentException(
          "layer '" + layer + "' spans " + found.size() + " groups ("
              + found.stream().map(Group::id).toList() + "); address one of them by its id");
    }
    return found.iterator().next();
  }

  /** The node called {@code name}. */
  public Node node(String name) {
    Node node = nodes.get(name);
    if (node == null) {
      throw new IllegalArgumentException(unknownLayer(name, new TreeSet<>(nodes.keySet())));
    }
    return node;
  }

  /**
   * The positions on {@code node}'s {@code side} that channels {@code channels} of {@code group}
   * occupy (for IN, counted over all inputs after their preprocessors): what pruning those
   * channels removes there. Empty when the group does not touch that side.
   */
  public int[] positions(Group group, String node, Side side, int... channels) {
    int[] roots = channelRoots.get(group.id());
    if (roots == null) {
      throw new IllegalArgumentException("'" + group.id() + "' is not a group of this graph");
    }
    Set<Integer> wanted = new java.util.HashSet<>();
    for (int c : channels) {
      if (c < 0 || c >= roots.length) {
        throw new IllegalArgumentException(
            "channel " + c + " is out of range for the " + roots.length + " channels of group '"
                + group.id() + "'");
      }
      wanted.add(roots[c]);
    }
    Node n = node(node);
    int[] slotArray = n.slots(side);
    if (slotArray == null) {
      return new int[0];
    }
    List<Integer> found = new ArrayList<>();
    for (int p = 0; p < slotArray.length; p++) {
      if (wanted.contains(slots.find(slotArray[p]))) {
        found.add(p);
      }
    }
    return found.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * For every position on {@code node}'s {@code side} (IN: over all inputs, after their
   * preprocessors), the group channel it belongs to, or -1 where it is not in {@code group}.
   */
  public int[] channelMap(Group group, String node, Side side) {
    int[] roots = channelRoots.get(group.id());
    if (roots == null) {
      throw new IllegalArgumentException("'" + group.id() + "' is not a group of this graph");
    }
    Map<Integer, Integer> channelOfRoot = new HashMap<>();
    for (int c = 0; c < roots.length; c++) {
      channelOfRoot.put(roots[c], c);
    }
    Node n = node(node);
    int[] slotArray = n.slots(side);
    if (slotArray == null) {
      return new int[0];
    }
    int[] map = new int[slotArray.length];
    for (int p = 0; p < map.length; p++) {
      map[p] = channelOfRoot.getOrDefault(slots.find(slotArray[p]), -1);
    }
    return map;
  }

  /** Every node, in topological order. */
  public List<Node> nodesInOrder() {
    return order.stream().map(nodes::get).toList();
  }

  /** The network this graph describes (never modified by it). */
  public Model model() {
    return network.model();
  }

  /** The network this graph describes, through DepPrune's adapter. */
  public Network network() {
    return network;
  }

  /** The parameters of layer or vertex {@code name}, by DL4J key (views: do not modify). */
  public Map<String, org.nd4j.linalg.api.ndarray.INDArray> params(String name) {
    Node n = node(name);
    return n.kind() != Network.Kind.INPUT ? network.params(name) : Map.of();
  }

  /** The registry this graph was built with. */
  public PrunerRegistry registry() {
    return registry;
  }

  /**
   * Removes {@code indices} of {@code group}'s channels (channel {@code i} is the root's OUT
   * position {@code i}, or its INNER position {@code i} for a {@code layer:heads} group) and
   * everything coupled to them.
   */
  public Model prune(Group group, int... channels) {
    return prune(Pruning.of(List.of(step(group, channels))));
  }

  /**
   * The pruning step that removes {@code channels} of {@code group}: its root's OUT positions, or
   * its INNER positions for a group of a node's inner channels (an attention layer's heads).
   */
  public Pruning.Step step(Group group, int... channels) {
    int[] distinct = Arrays.stream(channels).distinct().toArray();
    if (distinct.length != channels.length) {
      throw new IllegalArgumentException(
          "channel indices of group '" + group.id() + "' are repeated: " + Arrays.toString(channels));
    }
    Side side = rootSide(group);
    return new Pruning.Step(group.root(), side, positions(group, group.root(), side, channels));
  }

  /** OUT, or INNER where the group's channels are its root's inner channels. */
  private Side rootSide(Group group) {
    int[] roots = channelRoots.get(group.id());
    int[] inner = node(group.root()).innerSlots();
    if (roots != null && roots.length > 0) {
      for (int slot : inner) {
        if (slots.find(slot) == roots[0]) {
          return Side.INNER;
        }
      }
    }
    return Side.OUT;
  }

  /**
   * The pruned copy of the network. Every step is validated before anything is built: unknown
   * layers, positions out of range or repeated, blocked groups and groups that would lose every
   * channel are errors, and the original network is never modified.
   */
  public Model prune(Pruning pruning) {
    Set<Integer> removed = new LinkedHashSet<>();
    for (Pruning.Step step : pruning.steps()) {
      removed.addAll(resolve(step));
    }
    for (Group g : groups) {
      int[] roots = channelRoots.get(g.id());
      if (Arrays.stream(roots).allMatch(removed::contains)) {
        throw new IllegalArgumentException(
            "pruning would remove all " + g.channels() + " channels of group '" + g.id()
                + "'; keep at least one");
      }
    }
    Map<String, Keep> keeps = new HashMap<>();
    Map<String, int[]> keptOut = new HashMap<>();
    Map<String, int[]> keptInner = new HashMap<>();
    for (Node node : nodes.values()) {
      if (node.outSlots() != null) {
        keptOut.put(node.name(), kept(node.outSlots(), removed));
      }
      keptInner.put(node.name(), kept(node.innerSlots(), removed));
    }
    for (Node node : nodes.values()) {
      if (node.kind() == Network.Kind.INPUT) {
        continue;
      }
      List<int[]> in = new ArrayList<>();
      List<int[]> producers = new ArrayList<>();
      boolean changed = false;
      for (int k = 0; k < node.inSlots().size(); k++) {
        int[] keepIn = kept(node.inSlots().get(k), removed);
        changed |= keepIn.length != node.inSlots().get(k).length;
        in.add(keepIn);
        producers.add(keptOut.get(node.inputs().get(k)));
      }
      int[] out = keptOut.get(node.name());
      if (out == null) {
        continue; // a refused node of unknown width (a capsule layer): its inputs are blocked, it is unchanged
      }
      int[] inner = keptInner.get(node.name());
      changed |= out.length != node.outChannels() || inner.length != node.innerSlots().length;
      if (!changed) {
        continue;
      }
      if (out.length == 0 || in.stream().anyMatch(a -> a.length == 0)
          || (inner.length == 0 && node.innerSlots().length > 0)) {
        throw new IllegalArgumentException(
            "pruning would leave " + node.describe() + " with no channel; remove fewer channels");
      }
      keeps.put(node.name(), new Keep(in, out, producers, inner));
    }
    return NetworkRebuilder.rebuild(network, registry, keeps).model();
  }

  /** The root slots that {@code step} removes. */
  private Set<Integer> resolve(Pruning.Step step) {
    Node node = node(step.layer());
    int[] positions = node.slots(step.side());
    if (positions == null || (step.side() == Side.INNER && positions.length == 0)) {
      throw new IllegalArgumentException(
          "layer '" + step.layer() + "' has no known " + step.side() + " channels to prune");
    }
    Set<Integer> roots = new LinkedHashSet<>();
    Set<Integer> seen = new java.util.HashSet<>();
    for (int index : step.indices()) {
      if (index < 0 || index >= positions.length) {
        throw new IllegalArgumentException(
            "index " + index + " is out of range for the " + positions.length + " " + step.side()
                + " channels of '" + step.layer() + "'");
      }
      if (!seen.add(index)) {
        throw new IllegalArgumentException(
            "index " + index + " of '" + step.layer() + "' " + step.side() + " is repeated");
      }
      int root = slots.find(positions[index]);
      String blocked = blockedRoots.get(root);
      if (blocked != null) {
        throw new IllegalArgumentException(
            "cannot prune " + step.side() + " channel " + index + " of '" + step.layer() + "': "
                + blocked);
      }
      roots.add(root);
    }
    return roots;
  }

  private int[] kept(int[] slotArray, Set<Integer> removed) {
    int[] keep = new int[slotArray.length];
    int n = 0;
    for (int p = 0; p < slotArray.length; p++) {
      if (!removed.contains(slots.find(slotArray[p]))) {
        keep[n++] = p;
      }
    }
    return Arrays.copyOf(keep, n);
  }

  private Optional<Group> groupOfRoot(int root) {
    for (Group g : groups) {
      for (int r : channelRoots.get(g.id())) {
        if (r == root) {
          return Optional.of(g);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Channels (root slots) with the same footprint, the set of (node, side) they touch, form one
   * group. A touch is numbered {@code 3 * topological index + side} (IN 0, OUT 1, INNER 2), so a
   * channel's touches come out sorted and its footprint is an int array; this keeps ResNet-50's
   * 26,000 channels fast. A group's root is the first node whose OUT or INNER side it touches;
   * a group of INNER channels is called {@code root:heads}.
   */
  private void findGroups() {
    List<Node> ordered = order.stream().map(nodes::get).toList();
    int[] compact = new int[slots.size()];
    Arrays.fill(compact, -1);
    List<Integer> rootSlots = new ArrayList<>();
    List<int[]> touches = new ArrayList<>();
    List<int[]> counts = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    Side[] sides = Side.values();
    for (int t = 0; t < ordered.size() * 3; t++) {
      Node node = ordered.get(t / 3);
      int[] positions = node.slots(sides[t % 3]);
      if (positions == null || positions.length == 0) {
        continue;
      }
      for (int slot : positions) {
        int root = slots.find(slot);
        int c = compact[root];
        if (c < 0) {
          c = compact[root] = rootSlots.size();
          rootSlots.add(root);
          touches.add(new int[4]);
          counts.add(new int[4]);
          sizes.add(0);
        }
        int size = sizes.get(c);
        if (size > 0 && touches.get(c)[size - 1] == t) {
          counts.get(c)[size - 1]++;
          continue;
        }
        if (size == touches.get(c).length) {
          touches.set(c, Arrays.copyOf(touches.get(c), size * 2));
          counts.set(c, Arrays.copyOf(counts.get(c), size * 2));
        }
        touches.get(c)[size] = t;
        counts.get(c)[size] = 1;
        sizes.set(c, size + 1);
      }
    }
    record Footprint(int[] touches) {
      @Override
      public boolean equals(Object o) {
        return o instanceof Footprint f && Arrays.equals(touches, f.touches);
      }

      @Override
      public int hashCode() {
        return Arrays.hashCode(touches);
      }
    }
    Map<Footprint, List<Integer>> byFootprint = new LinkedHashMap<>();
    for (int c = 0; c < rootSlots.size(); c++) {
      int[] footprint = Arrays.copyOf(touches.get(c), sizes.get(c));
      byFootprint.computeIfAbsent(new Footprint(footprint), k -> new ArrayList<>()).add(c);
    }
    for (var entry : byFootprint.entrySet()) {
      int[] footprint = entry.getKey().touches();
      int rootTouch = Arrays.stream(footprint).filter(t -> t % 3 != 0).findFirst().orElse(-1);
      if (rootTouch < 0) {
        continue; // features an unsupported preprocessor made up: blocked, and no layer's output
      }
      Node root = ordered.get(rootTouch / 3);
      boolean inner = rootTouch % 3 == 2;
      Set<Integer> members = new java.util.HashSet<>(entry.getValue());
      List<Integer> channelOrder = new ArrayList<>();
      for (int slot : inner ? root.innerSlots() : root.outSlots()) {
        int c = compact[slots.find(slot)];
        if (members.remove(c)) {
          channelOrder.add(c);
        }
      }
      int[] roots = channelOrder.stream().mapToInt(rootSlots::get).toArray();
      int[] widths = new int[footprint.length];
      for (int c : channelOrder) {
        int[] t = touches.get(c);
        int[] n = counts.get(c);
        for (int k = 0; k < sizes.get(c); k++) {
          widths[Arrays.binarySearch(footprint, t[k])] += n[k];
        }
      }
      List<Group.Member> memberList = new ArrayList<>();
      for (int k = 0; k < footprint.length; k++) {
        Node node = ordered.get(footprint[k] / 3);
        Object config = node.config();
        memberList.add(new Group.Member(node.name(), sides[footprint[k] % 3],
            config == null ? "input" : config.getClass().getSimpleName(), widths[k]));
      }
      Optional<String> blocked =
          Arrays.stream(roots).mapToObj(blockedRoots::get).filter(java.util.Objects::nonNull).findFirst();
      String id = inner ? root.name() + ":heads" : root.name();
      if (channelRoots.containsKey(id)) {
        // A root whose OUT channels fall into several footprints (e.g. only some of them go
        // through a subset vertex): the later groups get #1, #2, ...
        String base = id;
        long same = groups.stream().filter(g -> g.id().equals(base) || g.id().startsWith(base + "#")).count();
        id = base + "#" + same;
      }
      channelRoots.put(id, roots);
      groups.add(new Group(id, root.name(), roots.length, memberList, blocked));
    }
  }

  private static String unknownLayer(String name, Set<String> names) {
    return "no layer or vertex named '" + name + "'; the network has: " + String.join(", ", names);
  }

  /** Options for building a graph. */
  public static final class Builder {
    private final Network net;
    private PrunerRegistry registry = PrunerRegistry.defaults();
    private Set<String> ignored = Set.of();
    private final Map<String, InputType> inputTypes = new HashMap<>();

    private Builder(Model net) {
      this.net = Network.of(net);
    }

    /** Use these pruners (for example the defaults plus your own custom-layer pruner). */
    public Builder optRegistry(PrunerRegistry registry) {
      this.registry = registry.copy();
      return this;
    }

    /** Never prune these layers' OUT channels (their IN channels still follow producers). */
    public Builder optIgnoredLayers(Set<String> layers) {
      this.ignored = Set.copyOf(layers);
      return this;
    }

    /**
     * The network inputs' types, in input order; needed only where a network input feeds a
     * vertex directly, so its width cannot be read from a layer.
     */
    public Builder optInputTypes(InputType... types) {
      List<String> names = net.inputNames();
      if (types.length != names.size()) {
        throw new IllegalArgumentException(
            "the network has " + names.size() + " inputs " + names + ", found " + types.length + " input types");
      }
      for (int i = 0; i < types.length; i++) {
        inputTypes.put(names.get(i), types[i]);
      }
      return this;
    }

    public DepGraph build() {
      return new DepGraph(net, registry, ignored, inputTypes);
    }
  }
}
