package io.streamgrad.records;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.streamgrad.learn.ReasonCode;
import io.streamgrad.learn.RejectedException;
import io.streamgrad.learn.Rejection;
import io.streamgrad.learn.Sample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads samples from a {@code .jsonl} file (one JSON sample per line), a {@code .csv} file (a
 * header row; the label column named by the caller, every other column a feature; the sample id is
 * the row number) or an {@code .avro} file (an Avro object container file of Sample records, as
 * Spark, Python's fastavro or avro-tools write them). Lines that cannot be read come back as
 * rejections with their line number (for {@code .avro}, the record's number).
 *
 * <p>JSON lines are split as bytes and each read by {@link SampleJsonReader} straight into {@code
 * double[]}; a line is a String only when it takes the tree path.
 *
 * <p>A CSV file is read line by line, each line parsed alone: a line that does not parse costs that
 * line only, with its own number (a quoted value cannot span lines, which numbers never need).
 */
public final class SampleFile {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private static final ObjectReader CSV_ROW =
      new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY).readerFor(String[].class);

  /** One line of the file: a sample, or why it could not be read. */
  public record Line(long number, Sample sample, Rejection rejection) {}

  /**
   * A CSV file without the label column it was read for. Not a bad line but a bad call: every
   * sample would silently lose its label, so the file is refused as a whole.
   */
  public static final class MissingLabelColumn extends IOException {
    private static final long serialVersionUID = 1L;

    private final String column;
    private final List<String> columns;

    MissingLabelColumn(String column, List<String> columns) {
      super("no label column '" + column + "' among the columns " + String.join(", ", columns));
      this.column = column;
      this.columns = List.copyOf(columns);
    }

    public String column() {
      return column;
    }

    /** The header's columns, in file order. */
    public List<String> columns() {
      return columns;
    }
  }

  /** How a file holds its samples, told by its name's ending. */
  public enum Format {
    JSON_LINES,
    CSV,
    AVRO;

    /** .csv and .avro by their names (any case); everything else is read as JSON lines. */
    public static Format of(Path path) {
      String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
      if (name.endsWith(".csv")) {
        return CSV;
      }
      return name.endsWith(".avro") ? AVRO : JSON_LINES;
    }

    /** What one unit of the file is called in messages: a line, or an Avro record. */
    public String unit() {
      return this == AVRO ? "record" : "line";
    }
  }

  private SampleFile() {}

  /**
   * @param labelColumn the CSV label column, or null for a file without labels (every column a
   *     feature, every sample to predict only); unused for JSON lines
   * @throws MissingLabelColumn when a CSV file has no column named labelColumn
   */
  public static void read(Path path, String labelColumn, Consumer<Line> consumer)
      throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      read(in, Format.of(path), labelColumn, consumer);
    }
  }

  /** As {@link #read(Path, String, Consumer)}; with namedColumns, CSV rows are named features. */
  public static void read(
      Path path, String labelColumn, boolean namedColumns, Consumer<Line> consumer)
      throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      read(in, Format.of(path), labelColumn, namedColumns, consumer);
    }
  }

  /**
   * The samples of a stream in the given format, in order, each handed to consumer before the next
   * is read (so a file of any size takes the memory of one line).
   *
   * @throws MissingLabelColumn when a CSV file has no column named labelColumn
   */
  public static void read(
      InputStream in, Format format, String labelColumn, Consumer<Line> consumer)
      throws IOException {
    read(in, format, labelColumn, false, consumer);
  }

  /**
   * As {@link #read(InputStream, Format, String, Consumer)}; with namedColumns, a CSV row is a
   * sample of named features, its columns by their header names (for a model with {@code inputs}):
   * cells typed as {@link NamedFeatures#fromCsvCell} says, an empty one missing.
   */
  public static void read(
      InputStream in,
      Format format,
      String labelColumn,
      boolean namedColumns,
      Consumer<Line> consumer)
      throws IOException {
    switch (format) {
      case CSV ->
          readCsv(
              new InputStreamReader(in, StandardCharsets.UTF_8),
              labelColumn,
              namedColumns,
              consumer);
      case AVRO -> SampleAvroFile.read(in, consumer);
      default -> readJsonLines(in, consumer);
    }
  }

  /** Every sample of a file, skipping lines that cannot be read. */
  public static List<Sample> readAll(Path path, String labelColumn) throws IOException {
    List<Sample> samples = new ArrayList<>();
    read(
        path,
        labelColumn,
        line -> {
          if (line.sample() != null) {
            samples.add(line.sample());
          }
        });
    return samples;
  }

  /** The JSON form of a sample (docs/topics.md). */
  public static String toJson(Sample sample) {
    var node = JSON.createObjectNode();
    node.put("id", sample.id());
    if (sample.isNamed()) {
      NamedFeatures.toJson(sample.namedFeatures(), node.putObject("features"));
    } else {
      var features = node.putArray("features");
      for (double x : sample.features()) {
        features.add(x);
      }
    }
    if (sample.label() != null) {
      if (sample.label().length == 1) {
        node.put("label", sample.label()[0]);
      } else {
        var label = node.putArray("label");
        for (double y : sample.label()) {
          label.add(y);
        }
      }
    }
    if (sample.eventTime() != 0) {
      node.put("event_time", sample.eventTime());
    }
    if (sample.weight() != 1.0) {
      node.put("weight", sample.weight());
    }
    return node.toString();
  }

  /**
   * Lines end at \n, \r\n or a lone \r, as BufferedReader.readLine ends them, so line numbers are
   * the ones an editor shows; a line of whitespace is skipped but counted.
   */
  private static void readJsonLines(InputStream in, Consumer<Line> consumer) throws IOException {
    SampleJsonReader fast = new SampleJsonReader();
    byte[] buffer = new byte[1 << 16];
    int start = 0; // the first byte of the current line
    int filled = 0;
    long number = 0;
    boolean afterCarriageReturn = false;
    while (true) {
      if (start > 0 && start == filled) {
        start = 0;
        filled = 0;
      } else if (filled == buffer.length) {
        if (start > 0) { // move the line begun so far to the front
          System.arraycopy(buffer, start, buffer, 0, filled - start);
          filled -= start;
          start = 0;
        } else { // a line longer than the buffer
          buffer = java.util.Arrays.copyOf(buffer, 2 * buffer.length);
        }
      }
      int scan = filled;
      int read = in.read(buffer, filled, buffer.length - filled);
      if (read < 0) {
        break;
      }
      filled += read;
      for (int i = scan; i < filled; i++) {
        i = lineEnd(buffer, i, filled);
        if (i == filled) {
          afterCarriageReturn = false;
          break;
        }
        byte b = buffer[i];
        if (b == '\n' && afterCarriageReturn && i == start) { // the \n of \r\n
          afterCarriageReturn = false;
          start = i + 1;
          continue;
        }
        afterCarriageReturn = b == '\r';
        number++;
        jsonLine(fast, buffer, start, i - start, number, consumer);
        start = i + 1;
      }
    }
    if (start < filled) {
      jsonLine(fast, buffer, start, filled - start, number + 1, consumer);
    }
  }

  /** Eight bytes of a buffer at once, little-endian: the first byte is the lowest. */
  private static final VarHandle EIGHT_BYTES =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * The index of the first \n or \r in bytes[from, to), or to. Eight bytes at a time: a line of 64
   * features is some 600 bytes, and a loop that takes each byte's two comparisons cost a fifth of
   * the reader's thread.
   */
  static int lineEnd(byte[] bytes, int from, int to) {
    int i = from;
    for (; i <= to - 8; i += 8) {
      long word = (long) EIGHT_BYTES.get(bytes, i);
      long found =
          zeroBytes(word ^ 0x0A0A_0A0A_0A0A_0A0AL) | zeroBytes(word ^ 0x0D0D_0D0D_0D0D_0D0DL);
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (bytes[i] == '\n' || bytes[i] == '\r') {
        return i;
      }
    }
    return to;
  }

  /**
   * The top bit of the lowest zero byte of word set (perhaps bits of bytes above it too, from the
   * borrow, never of bytes below it): its trailing zeros count the bytes before it.
   */
  private static long zeroBytes(long word) {
    return (word - 0x0101_0101_0101_0101L) & ~word & 0x8080_8080_8080_8080L;
  }

  private static void jsonLine(
      SampleJsonReader fast,
      byte[] buffer,
      int offset,
      int length,
      long number,
      Consumer<Line> consumer) {
    if (isBlank(buffer, offset, length)) {
      return;
    }
    Line line;
    try {
      line = new Line(number, SampleJson.parse(fast, buffer, offset, length), null);
    } catch (RejectedException e) {
      line = new Line(number, null, e.rejection());
    }
    consumer.accept(line);
  }

  private static boolean isBlank(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      byte b = bytes[i];
      if (!(b == ' ' || (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x1F))) {
        return false;
      }
    }
    return true;
  }

  private static void readCsv(
      Reader in, String labelColumn, boolean namedColumns, Consumer<Line> consumer)
      throws IOException {
    BufferedReader reader = new BufferedReader(in);
    String headerText = reader.readLine();
    if (headerText == null) {
      return;
    }
    String[] header;
    try {
      header = parseCsvLine(headerText);
    } catch (IOException | RuntimeException e) {
      throw new IOException("line 1, the header, is not CSV: " + firstLine(e.getMessage()), e);
    }
    for (int c = 0; c < header.length; c++) {
      header[c] = header[c].trim(); // "a, b, label" names the column "label"
    }
    int labelIndex = -1;
    if (labelColumn != null) {
      labelIndex = Arrays.asList(header).indexOf(labelColumn);
      if (labelIndex < 0) {
        throw new MissingLabelColumn(labelColumn, Arrays.asList(header));
      }
    }
    long number = 1;
    for (String text = reader.readLine(); text != null; text = reader.readLine()) {
      number++;
      if (text.isBlank()) {
        continue;
      }
      String[] row;
      try {
        row = parseCsvLine(text);
      } catch (IOException | RuntimeException e) {
        consumer.accept(
            new Line(
                number,
                null,
                new Rejection(
                    ReasonCode.MALFORMED_CSV,
                    "line " + number + " does not parse as CSV: " + firstLine(e.getMessage()))));
        continue;
      }
      consumer.accept(
          namedColumns
              ? namedCsvRow(number, header, labelIndex, row)
              : parseCsvRow(number, header, labelIndex, row));
    }
  }

  private static String[] parseCsvLine(String text) throws IOException {
    try (MappingIterator<String[]> rows = CSV_ROW.readValues(text)) {
      return rows.hasNextValue() ? rows.nextValue() : new String[0];
    }
  }

  /** Jackson appends the source location on further lines: the line number says it already. */
  private static String firstLine(String message) {
    String text = String.valueOf(message);
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end);
  }

  /** A row as named features: every column but the label's, by its header name. */
  private static Line namedCsvRow(long number, String[] header, int labelIndex, String[] row) {
    if (row.length != header.length) {
      return new Line(
          number,
          null,
          new Rejection(
              ReasonCode.MALFORMED_CSV,
              "line " + number + " has " + row.length + " columns, the header " + header.length));
    }
    java.util.Map<String, Object> named = new java.util.LinkedHashMap<>(2 * row.length);
    double[] label = null;
    for (int c = 0; c < row.length; c++) {
      if (c != labelIndex) {
        named.put(header[c], NamedFeatures.fromCsvCell(row[c]));
        continue;
      }
      String cell = row[c].trim();
      if (cell.isEmpty()) {
        continue; // an empty label: a sample to predict only
      }
      try {
        label = new double[] {Double.parseDouble(cell)};
      } catch (NumberFormatException e) {
        return new Line(
            number,
            null,
            new Rejection(
                ReasonCode.MALFORMED_CSV,
                "line " + number + ", column '" + header[c] + "': not a number: '" + cell + "'"));
      }
    }
    return new Line(number, Sample.named(String.valueOf(number - 1), named, label, 0, 1.0), null);
  }

  private static Line parseCsvRow(long number, String[] header, int labelIndex, String[] row) {
    if (row.length != header.length) {
      return new Line(
          number,
          null,
          new Rejection(
              ReasonCode.MALFORMED_CSV,
              "line " + number + " has " + row.length + " columns, the header " + header.length));
    }
    double[] features = new double[labelIndex >= 0 ? row.length - 1 : row.length];
    double[] label = null;
    int f = 0;
    for (int c = 0; c < row.length; c++) {
      String cell = row[c].trim();
      double value;
      if (c == labelIndex && cell.isEmpty()) {
        continue; // an empty label: a sample to predict only
      }
      try {
        value = Double.parseDouble(cell);
      } catch (NumberFormatException e) {
        return new Line(
            number,
            null,
            new Rejection(
                ReasonCode.MALFORMED_CSV,
                "line " + number + ", column '" + header[c] + "': not a number: '" + cell + "'"));
      }
      if (c == labelIndex) {
        label = new double[] {value};
      } else {
        features[f++] = value;
      }
    }
    return new Line(number, new Sample(String.valueOf(number - 1), features, label, 0), null);
  }
}
