package org.depprune.driver.results;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CSV tables through Jackson's CSV module: a header, then one line per row, RFC 4180 quoting (a
 * cell with a comma, a quote or a line break is quoted, quotes doubled), null cells empty.
 */
public final class Csv {
  private static final CsvMapper MAPPER = CsvMapper.builder().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).build();

  private Csv() {}

  /** Writes {@code columns} and {@code rows} (each as many cells as columns) to {@code out}, which stays open. */
  public static void write(Writer out, List<String> columns, List<? extends List<?>> rows) throws IOException {
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    columns.forEach(schema::addColumn);
    try (SequenceWriter writer = MAPPER.writer(schema.build()).writeValues(out)) {
      for (List<?> row : rows) {
        if (row.size() != columns.size()) {
          throw new IllegalArgumentException("a CSV row of " + row.size() + " cells under " + columns.size() + " columns");
        }
        // By column name: Jackson's CSV writer drops the nulls of an array, shifting the cells after them.
        Map<String, Object> cells = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
          cells.put(columns.get(i), row.get(i));
        }
        writer.write(cells);
      }
    }
    out.flush();
  }
}
