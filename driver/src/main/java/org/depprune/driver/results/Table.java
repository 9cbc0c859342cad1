package org.depprune.driver.results;

import java.util.ArrayList;
import java.util.List;

/**
 * A table of formatted cells, rendered as fixed-width text for the console or as HTML for
 * {@code report.html}: one set of cells, so both always show the same numbers.
 *
 * @param leftAligned how many leading columns hold names (left-aligned); the rest hold numbers
 */
public record Table(List<String> header, List<List<String>> rows, int leftAligned) {
  public Table {
    header = List.copyOf(header);
    rows = rows.stream().map(List::copyOf).toList();
    for (List<String> row : rows) {
      if (row.size() != header.size()) {
        throw new IllegalArgumentException("a row of " + row.size() + " cells in a table of " + header.size() + " columns");
      }
    }
  }

  /** Fixed-width columns, two spaces apart, one line per row, header first. */
  public String text() {
    int[] widths = new int[header.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int c = 0; c < widths.length; c++) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder s = new StringBuilder();
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < widths.length; c++) {
        String cell = row.get(c);
        String pad = " ".repeat(widths[c] - cell.length());
        line.append(c == 0 ? "" : "  ").append(c < leftAligned ? cell + pad : pad + cell);
      }
      s.append(line.toString().stripTrailing()).append('\n');
    }
    return s.toString();
  }

  /** An HTML {@code <table>} with the header as {@code <th>} cells, every cell escaped. */
  public String html() {
    StringBuilder h = new StringBuilder("<table><tr>");
    header.forEach(cell -> h.append("<th>").append(escape(cell)).append("</th>"));
    h.append("</tr>\n");
    for (List<String> row : rows) {
      h.append("<tr>");
      row.forEach(cell -> h.append("<td>").append(escape(cell)).append("</td>"));
      h.append("</tr>\n");
    }
    return h.append("</table>\n").toString();
  }

  /** {@code s} with HTML's special characters escaped (null as empty). */
  public static String escape(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
