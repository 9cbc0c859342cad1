package org.depprune.driver.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabelsTest {
  @Test
  void integerLabelsAreClassIndicesAndStringsAreSorted() {
    Labels digits = Labels.of(List.of("3", "0", "9"), 10);
    assertTrue(digits.integer());
    assertEquals(10, digits.names().size(), "every output, even classes the data lacks");
    assertEquals(7, digits.index("7"));
    assertEquals(-1, digits.index("10"));
    Labels words = Labels.of(List.of("dog", "cat", "bird"), 3);
    assertEquals(List.of("bird", "cat", "dog"), words.names());
    assertEquals(2, words.index("dog"));
    assertEquals(-1, words.index("cow"));
  }

  @Test
  void labelsThatDoNotFitTheModelAreErrorsNamingTheFix() {
    var outOfRange = assertThrows(IllegalArgumentException.class, () -> Labels.of(List.of("0", "12"), 10));
    assertTrue(outOfRange.getMessage().contains("label 12") && outOfRange.getMessage().contains("10 outputs"),
        outOfRange.getMessage());
    var count = assertThrows(IllegalArgumentException.class, () -> Labels.of(List.of("cat", "dog"), 3));
    assertTrue(count.getMessage().contains("2 classes [cat, dog]") && count.getMessage().contains("3 outputs"),
        count.getMessage());
    var unknown = assertThrows(IllegalArgumentException.class,
        () -> Labels.of(List.of("cat", "dog"), 2).requireKnown(List.of("cat", "cow"), "validation data"));
    assertTrue(unknown.getMessage().contains("[cow]") && unknown.getMessage().contains("search.data.validation"),
        unknown.getMessage());
  }
}
