package org.depprune.driver.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {
  @Test
  void cellsAreQuotedAsRfc4180SaysAndNullsStayInTheirColumn() throws Exception {
    StringWriter out = new StringWriter();
    Csv.write(out, List.of("a", "b", "c", "d"), List.of(
        Arrays.asList(1, null, "x,\"y\"\nz", 2.5),
        Arrays.asList(null, null, null, 3L)));
    assertEquals("a,b,c,d\n1,,\"x,\"\"y\"\"\nz\",2.5\n,,,3\n", out.toString());
    assertThrows(IllegalArgumentException.class, () -> Csv.write(new StringWriter(), List.of("a"), List.of(List.of(1, 2))));
  }
}
