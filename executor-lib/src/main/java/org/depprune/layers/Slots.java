package org.depprune.layers;

import java.util.Arrays;

/**
 * Channel slots and the union-find that couples them. Every channel a node creates gets a fresh
 * slot; nodes that pass channels through reuse their input's slots; an element-wise vertex joins
 * the slots of its inputs. Two slots with the same {@link #find root} must be pruned together.
 */
public final class Slots {
  private int[] parent = new int[64];
  private int size;

  /** {@code n} new, uncoupled slots. */
  public int[] fresh(int n) {
    int[] created = new int[n];
    for (int i = 0; i < n; i++) {
      if (size == parent.length) {
        parent = Arrays.copyOf(parent, parent.length * 2);
      }
      parent[size] = size;
      created[i] = size++;
    }
    return created;
  }

  /** Couples slot {@code a} with slot {@code b}. */
  public void union(int a, int b) {
    int ra = find(a);
    int rb = find(b);
    if (ra != rb) {
      // The smaller id stays the root, so roots follow creation (topological) order.
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }

  /** The representative slot of {@code a}'s coupled set. */
  public int find(int a) {
    while (parent[a] != a) {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
    return a;
  }

  /** How many slots exist. */
  public int size() {
    return size;
  }
}
