package org.depprune.graph;

import java.util.List;
import java.util.Optional;

/**
 * Channels that must be pruned together: every member's positions for channel {@code i} go at
 * once. The root is the first layer (in topological order) that creates these channels; a group
 * is addressed by its root's name. An attention layer's heads (its INNER channels) form a group
 * of their own, rooted at the layer and called {@code layer:heads}.
 *
 * @param id the group's name: its root's name ({@code root:heads} for INNER channels), with
 *     {@code #k} appended for the k-th further group of the same name (a layer whose outputs go
 *     different ways, such as into a subset)
 * @param root the name of the root layer; the group's channel {@code i} is the root's
 *     {@code i}-th OUT (or INNER) channel among those in the group
 * @param channels how many channels the group has
 * @param members every (node, side) the group's channels touch, in topological order
 * @param blocked why the group cannot be pruned (an output layer's classes, a network input, an
 *     unsupported layer, an ignored layer), or empty when it can
 */
public record Group(String id, String root, int channels, List<Member> members, Optional<String> blocked) {
  public Group {
    members = List.copyOf(members);
  }

  /** Whether the group can be pruned. */
  public boolean prunable() {
    return blocked.isEmpty();
  }

  /**
   * One node side the group touches.
   *
   * @param node the node's name
   * @param side IN, OUT or INNER
   * @param type the node's configuration type (simple class name), or "input"
   * @param width how many of the node's positions on that side belong to the group
   */
  public record Member(String node, Side side, String type, int width) {}
}
