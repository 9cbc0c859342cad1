package org.depprune.driver.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.depprune.driver.space.PlanSpace.Candidate;
import org.junit.jupiter.api.Test;

class PlanSpaceTest {
  static final List<String> LAYERS = List.of("stem", "down", "dense");
  final PlanSpace space = new PlanSpace(LAYERS, 0.1, 0.6);

  @Test
  void enumerationIsDeterministicAndOrdered() {
    List<Candidate> a = space.initial(List.of("magnitude", "taylor"), List.of(0.2, 0.4), 3, 42);
    assertEquals(a, space.initial(List.of("magnitude", "taylor"), List.of(0.2, 0.4), 3, 42));
    assertEquals(10, a.size());
    assertEquals(List.of("uniform", "uniform", "random", "random", "random"),
        a.subList(0, 5).stream().map(Candidate::origin).toList());
    assertEquals("magnitude", a.get(4).plan().criterion());
    assertEquals("taylor", a.get(5).plan().criterion());
    assertEquals(0.4, a.get(1).plan().ratios().get("down"));
    for (Candidate c : a) {
      assertEquals(LAYERS.size(), c.plan().ratios().size());
      c.plan().ratios().values().forEach(r -> assertTrue(r >= 0.1 && r <= 0.6, "in range: " + r));
    }
    List<Candidate> other = space.initial(List.of("magnitude", "taylor"), List.of(0.2, 0.4), 3, 43);
    assertEquals(a.subList(0, 2), other.subList(0, 2), "the grid does not depend on the seed");
    assertNotEquals(a.get(2), other.get(2), "random plans do");
  }

  @Test
  void aCriterionsRandomPlansDoNotDependOnTheOtherCriteria() {
    List<Candidate> both = space.initial(List.of("magnitude", "taylor"), List.of(), 2, 42);
    List<Candidate> first = space.initial(List.of("magnitude"), List.of(), 2, 42);
    assertEquals(first, both.subList(0, 2));
  }

  @Test
  void duplicatesAreKeptOnce() {
    List<Candidate> plans = space.initial(List.of("random"), List.of(0.3, 0.3, 0.30001), 0, 1);
    assertEquals(1, plans.size());
    assertEquals(1, new HashSet<>(plans.stream().map(c -> c.plan().id()).toList()).size());
  }

  @Test
  void evolvedRatiosAreClampedToTheSpace() {
    var plan = space.plan("fpgm", new double[] {0.05, 0.3, 0.9});
    assertEquals(0.1, plan.ratios().get("stem"));
    assertEquals(0.3, plan.ratios().get("down"));
    assertEquals(0.6, plan.ratios().get("dense"));
    assertThrows(IllegalArgumentException.class, () -> new PlanSpace(List.of(), 0, 0.5));
  }
}
