package io.streamgrad.records;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.streamgrad.learn.ReasonCode;
import io.streamgrad.learn.RejectedException;
import io.streamgrad.learn.Rejection;
import io.streamgrad.learn.Sample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads samples from a {@code .jsonl} file (one JSON sample per line) or a {@code .csv} file (a
 * header row; the label column named by the caller, every other column a feature; the sample id is
 * the row number). Lines that cannot be read come back as rejections with their line number.
 */
public final class SampleFile {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** One line of the file: a sample, or why it could not be read. */
  public record Line(long number, Sample sample, Rejection rejection) {}

  private SampleFile() {}

  public static void read(Path path, String labelColumn, Consumer<Line> consumer)
      throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(path)) {
      read(
          reader,
          path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv"),
          labelColumn,
          consumer);
    }
  }

  public static void read(Reader reader, boolean csv, String labelColumn, Consumer<Line> consumer)
      throws IOException {
    if (csv) {
      readCsv(reader, labelColumn, consumer);
    } else {
      readJsonLines(new BufferedReader(reader), consumer);
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
    var features = node.putArray("features");
    for (double x : sample.features()) {
      features.add(x);
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
    return node.toString();
  }

  private static void readJsonLines(BufferedReader reader, Consumer<Line> consumer)
      throws IOException {
    long number = 0;
    for (String text = reader.readLine(); text != null; text = reader.readLine()) {
      number++;
      if (text.isBlank()) {
        continue;
      }
      try {
        consumer.accept(new Line(number, SampleJson.parse(text), null));
      } catch (RejectedException e) {
        consumer.accept(new Line(number, null, e.rejection()));
      }
    }
  }

  private static void readCsv(Reader reader, String labelColumn, Consumer<Line> consumer)
      throws IOException {
    CsvMapper mapper = new CsvMapper();
    mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
    try (MappingIterator<String[]> rows = mapper.readerFor(String[].class).readValues(reader)) {
      if (!rows.hasNext()) {
        return;
      }
      String[] header = rows.next();
      int labelIndex = java.util.Arrays.asList(header).indexOf(labelColumn);
      long number = 1;
      while (rows.hasNext()) {
        String[] row = rows.next();
        number++;
        if (row.length == 0 || (row.length == 1 && row[0].isBlank())) {
          continue;
        }
        consumer.accept(parseCsvRow(number, header, labelIndex, row));
      }
    }
  }

  private static Line parseCsvRow(long number, String[] header, int labelIndex, String[] row) {
    if (row.length != header.length) {
      return new Line(
          number,
          null,
          new Rejection(
              ReasonCode.WRONG_FEATURE_COUNT,
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
                ReasonCode.MALFORMED_JSON,
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
