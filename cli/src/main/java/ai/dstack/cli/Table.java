package ai.dstack.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * An aligned text table as dstack prints them: upper-case headers, columns two spaces apart, the
 * last column not padded. Null cells print as empty.
 */
final class Table {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... headers) {
    this.headers = List.of(headers);
  }

  /** Adds a row; it must have one cell per header. */
  Table row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          "a row of " + cells.length + " cells for " + headers.size() + " columns");
    }
    var row = new ArrayList<String>(cells.length);
    for (Object cell : cells) {
      row.add(cell == null ? "" : cell.toString());
    }
    rows.add(row);
    return this;
  }

  /** Whether no row was added. */
  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** Prints the header line and the rows. */
  void print(PrintWriter out) {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = width(headers.get(i));
      for (var row : rows) {
        widths[i] = Math.max(widths[i], width(row.get(i)));
      }
    }
    out.println(Terminal.bold(line(headers, widths)));
    for (var row : rows) {
      out.println(line(row, widths));
    }
    out.flush();
  }

  private static String line(List<String> cells, int[] widths) {
    var line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      line.append(cell);
      if (i < cells.size() - 1) {
        line.append(" ".repeat(widths[i] - width(cell) + 2));
      }
    }
    return line.toString().stripTrailing();
  }

  private static int width(String cell) {
    return cell.codePointCount(0, cell.length());
  }
}
