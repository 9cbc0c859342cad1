package org.depprune.graph;

import java.util.List;

/**
 * The positions of one node that survive a pruning.
 *
 * @param in per input, the IN positions kept (after the input's preprocessor), ascending
 * @param out the OUT positions kept, ascending
 * @param producers per input, the producer's OUT positions kept (before the preprocessor)
 * @param inner the INNER positions kept (an attention layer's heads), ascending
 */
record Keep(List<int[]> in, int[] out, List<int[]> producers, int[] inner) {
  public Keep {
    in = List.copyOf(in);
    producers = List.copyOf(producers);
  }
}
