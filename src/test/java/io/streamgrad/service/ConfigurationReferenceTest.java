package io.streamgrad.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference, docs/configuration.md, agrees with config/streamgrad.properties: one
 * table row per key, no row for a key the file lacks, and each row's default exactly the file's
 * value. Reads only the two files (paths relative to the project root, the working directory of
 * Maven's tests), so it does not depend on the main code.
 */
class ConfigurationReferenceTest {
  private static final Path PROPERTIES = Path.of("config", "streamgrad.properties");
  private static final Path REFERENCE = Path.of("docs", "configuration.md");
  private static final String HEADER = "| setting | default | meaning |";

  /** How the reference writes a default that is the empty string. */
  private static final String EMPTY = "(empty)";

  /** The row that documents the kafka.* pass-through: a pattern, not a key of the file. */
  private static final String PASS_THROUGH_ROW = "kafka.*";

  /** One row of the settings table: the key, the default as written, and its line number. */
  private record Row(String key, String defaultCell, int line) {}

  @Test
  void shouldDocumentEveryKeyOfThePropertiesFile() throws IOException {
    Set<String> documented = rowsByKey().keySet();
    List<String> missing = new ArrayList<>();
    for (String key : new TreeSet<>(properties().stringPropertyNames())) {
      if (!documented.contains(key)) {
        missing.add(key);
      }
    }
    assertTrue(
        missing.isEmpty(),
        "keys of " + PROPERTIES + " without a row in " + REFERENCE + ": " + missing);
  }

  @Test
  void shouldDocumentOnlyKeysOfThePropertiesFile() throws IOException {
    Set<String> keys = properties().stringPropertyNames();
    List<String> unknown = new ArrayList<>();
    for (Row row : rows()) {
      if (!row.key().equals(PASS_THROUGH_ROW) && !keys.contains(row.key())) {
        unknown.add(row.key() + " (line " + row.line() + ")");
      }
    }
    assertTrue(
        unknown.isEmpty(),
        "rows of " + REFERENCE + " for keys " + PROPERTIES + " does not have: " + unknown);
  }

  @Test
  void shouldDocumentEachKeyOnce() throws IOException {
    Map<String, Integer> seen = new LinkedHashMap<>();
    List<String> repeated = new ArrayList<>();
    for (Row row : rows()) {
      Integer first = seen.putIfAbsent(row.key(), row.line());
      if (first != null) {
        repeated.add(row.key() + " (lines " + first + " and " + row.line() + ")");
      }
    }
    assertTrue(repeated.isEmpty(), "keys with more than one row in " + REFERENCE + ": " + repeated);
  }

  @Test
  void shouldGiveEachKeyTheDefaultOfThePropertiesFile() throws IOException {
    Properties properties = properties();
    List<String> wrong = new ArrayList<>();
    for (Row row : rows()) {
      String value = properties.getProperty(row.key());
      if (row.key().equals(PASS_THROUGH_ROW) || value == null) {
        continue; // the pass-through pattern has no default; unknown keys fail their own test
      }
      String documented = defaultValue(row);
      if (!value.equals(documented)) {
        wrong.add(
            row.key()
                + ": the reference says "
                + describe(documented)
                + ", "
                + PROPERTIES
                + " says "
                + describe(value));
      }
    }
    assertTrue(
        wrong.isEmpty(),
        "defaults in " + REFERENCE + " that differ from " + PROPERTIES + ": " + wrong);
  }

  @Test
  void shouldFindTheSettingsTable() throws IOException {
    List<Row> rows = rows();
    assertFalse(rows.isEmpty(), REFERENCE + " has no table headed '" + HEADER + "'");
    assertEquals(
        1,
        rows.stream().filter(row -> row.key().equals(PASS_THROUGH_ROW)).count(),
        REFERENCE + " documents the " + PASS_THROUGH_ROW + " pass-through in one row");
  }

  /** The value a default cell stands for: "(empty)" or the text of one code span. */
  private static String defaultValue(Row row) {
    String cell = row.defaultCell();
    if (cell.equals(EMPTY)) {
      return "";
    }
    if (cell.length() >= 2
        && cell.startsWith("`")
        && cell.endsWith("`")
        && cell.indexOf('`', 1) == cell.length() - 1) {
      return cell.substring(1, cell.length() - 1);
    }
    fail(
        row.key()
            + " (line "
            + row.line()
            + " of "
            + REFERENCE
            + "): the default '"
            + cell
            + "' is neither "
            + EMPTY
            + " nor one `code span`");
    return null;
  }

  private static String describe(String value) {
    return value.isEmpty() ? EMPTY : "'" + value + "'";
  }

  private static Properties properties() throws IOException {
    Properties properties = new Properties();
    try (Reader reader =
        Files.newBufferedReader(projectFile(PROPERTIES), StandardCharsets.ISO_8859_1)) {
      properties.load(reader);
    }
    return properties;
  }

  private static Map<String, Row> rowsByKey() throws IOException {
    Map<String, Row> byKey = new LinkedHashMap<>();
    for (Row row : rows()) {
      byKey.putIfAbsent(row.key(), row);
    }
    return byKey;
  }

  /**
   * The rows of the table headed by {@link #HEADER}: from its separator line to the first non-row.
   */
  private static List<Row> rows() throws IOException {
    List<String> lines = Files.readAllLines(projectFile(REFERENCE), StandardCharsets.UTF_8);
    int header = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().equals(HEADER)) {
        if (header >= 0) {
          fail(
              REFERENCE
                  + " has two tables headed '"
                  + HEADER
                  + "' (lines "
                  + (header + 1)
                  + " and "
                  + (i + 1)
                  + ")");
        }
        header = i;
      }
    }
    List<Row> rows = new ArrayList<>();
    if (header < 0) {
      return rows;
    }
    for (int i = header + 2; i < lines.size() && lines.get(i).trim().startsWith("|"); i++) {
      List<String> cells = cells(lines.get(i));
      int line = i + 1;
      if (cells.size() != 3) {
        fail(
            "line "
                + line
                + " of "
                + REFERENCE
                + " has "
                + cells.size()
                + " cells, not 3: "
                + lines.get(i));
      }
      String keyCell = cells.get(0);
      if (!(keyCell.length() > 2 && keyCell.startsWith("`") && keyCell.endsWith("`"))) {
        fail(
            "line "
                + line
                + " of "
                + REFERENCE
                + ": the setting '"
                + keyCell
                + "' is not one `code span`");
      }
      rows.add(new Row(keyCell.substring(1, keyCell.length() - 1), cells.get(1), line));
    }
    return rows;
  }

  /** The cells of a table row, split at the pipes that are not escaped as \|. */
  private static List<String> cells(String line) {
    String row = line.trim();
    row =
        row.substring(
            1, row.endsWith("|") && !row.endsWith("\\|") ? row.length() - 1 : row.length());
    List<String> cells = new ArrayList<>();
    for (String cell : row.split("(?<!\\\\)\\|", -1)) {
      cells.add(cell.trim());
    }
    return cells;
  }

  /**
   * A path relative to the project root: the working directory, or the nearest parent with a
   * pom.xml.
   */
  private static Path projectFile(Path relative) {
    Path dir = Path.of("").toAbsolutePath();
    for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
      if (Files.exists(candidate.resolve("pom.xml")) && Files.exists(candidate.resolve(relative))) {
        return candidate.resolve(relative);
      }
    }
    fail(relative + " not found in " + dir + " or a parent directory with a pom.xml");
    return null;
  }
}
