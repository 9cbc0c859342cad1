package org.depprune.trial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanTest {
  @Test
  void theIdDependsOnTheContentOnly() {
    Map<String, Double> a = new LinkedHashMap<>();
    a.put("stem", 0.25);
    a.put("dense", 0.5);
    Map<String, Double> b = new LinkedHashMap<>();
    b.put("dense", 0.50000001); // rounds to the same ratio
    b.put("stem", 0.25);
    Plan p = new Plan("taylor", a);
    assertEquals(p, new Plan("taylor", b));
    assertEquals(p.id(), new Plan("taylor", b).id());
    assertEquals("taylor|dense=0.5000;stem=0.2500;", p.canonical());
    assertEquals(12, p.id().length());
    assertTrue(p.id().matches("[0-9a-f]{12}"));
    assertNotEquals(p.id(), new Plan("magnitude", a).id());
    assertNotEquals(p.id(), new Plan("taylor", Map.of("stem", 0.25, "dense", 0.51)).id());
  }

  @Test
  void theIdIsStableAcrossReleases() {
    // The SHA-256 of "random|a=0.1000;", first 6 bytes: ids written by earlier runs stay valid.
    assertEquals("b04022ed5195", new Plan("random", Map.of("a", 0.1)).id());
  }

  @Test
  void optionsArePartOfThePlanAndItsIdButAPlanWithoutThemKeepsItsOldId() {
    Plan plain = new Plan("random", Map.of("a", 0.1));
    Plan distilled = plain.withOption(Plan.DISTILL, "4.0/0.7");
    assertEquals("b04022ed5195", plain.id(), "no options: the id of a plan before options existed");
    assertEquals("random|a=0.1000;|distill=4.0/0.7;", distilled.canonical());
    assertNotEquals(plain.id(), distilled.id());
    assertEquals(plain, distilled.withOption(Plan.DISTILL, null));
    assertEquals(Map.of(Plan.DISTILL, "4.0/0.7"), distilled.withRatios(Map.of("a", 0.3)).options());
    var e = assertThrows(IllegalArgumentException.class, () -> plain.withOption("dropout", "0.1"));
    assertTrue(e.getMessage().contains("unknown plan option 'dropout'"), e.getMessage());
  }

  @Test
  void aPlanSeedDerivesFromTheSearchSeedAndThePlan() {
    Plan p = Plan.uniform("magnitude", List.of("a", "b"), 0.3);
    assertEquals(p.seed(42), Plan.uniform("magnitude", List.of("b", "a"), 0.3).seed(42));
    assertNotEquals(p.seed(42), p.seed(43));
    assertNotEquals(p.seed(42), Plan.uniform("magnitude", List.of("a", "b"), 0.4).seed(42));
    assertTrue(p.isUniform());
    assertTrue(!new Plan("magnitude", Map.of("a", 0.1, "b", 0.2)).isUniform());
  }

  @Test
  void ratiosOutsideTheUnitIntervalAreRejectedByName() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Plan("taylor", Map.of("conv1", 1.0)));
    assertEquals("ratio of layer 'conv1' must be in [0, 1), found 1.0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Plan("taylor", Map.of("conv1", -0.1)));
    assertThrows(IllegalArgumentException.class, () -> new Plan(" ", Map.of("conv1", 0.1)));
  }

  @Test
  void theFinetuneOrderCyclesThroughSeededPassesOfThePartition() {
    int[] partition = {10, 11, 12, 13};
    int[] order = TrialRunner.finetuneOrder(partition, 10, 7);
    assertEquals(10, order.length);
    for (int pass = 0; pass < 2; pass++) {
      int[] sorted = Arrays.copyOfRange(order, 4 * pass, 4 * pass + 4);
      Arrays.sort(sorted);
      assertArrayEquals(partition, sorted, "each full pass visits the partition once");
    }
    assertArrayEquals(order, TrialRunner.finetuneOrder(partition, 10, 7));
    assertTrue(!Arrays.equals(order, TrialRunner.finetuneOrder(partition, 10, 8)));
    assertThrows(IllegalArgumentException.class, () -> TrialRunner.finetuneOrder(new int[0], 3, 1));
  }
}
