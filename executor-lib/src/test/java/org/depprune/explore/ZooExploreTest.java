package org.depprune.explore;

import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;
import org.depprune.model.Zoo;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;

class ZooExploreTest {
  @Test
  void explore() {
    for (String name : Zoo.names()) {
      try {
        long t0 = System.nanoTime();
        Model net = Zoo.create(name);
        long t1 = System.nanoTime();
        DepGraph g = DepGraph.builder(net).optInputTypes(Zoo.inputType(name)).build();
        long t2 = System.nanoTime();
        var blocked = g.groups().stream().filter(x -> !x.prunable()).map(x -> x.id() + ": " + x.blocked().get()).distinct().limit(4).toList();
        System.out.printf("ZOO %s params=%d groups=%d prunable=%d init=%.1fs graph=%.0fms%n  %s%n", name, net.numParams(), g.groups().size(), g.prunableGroups().size(), (t1-t0)/1e9, (t2-t1)/1e6, blocked);
      } catch (Throwable e) {
        System.out.printf("ZOO %s FAILED %s%n", name, e);
      }
    }
  }
}
