package io.streamgrad;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The dataset and model file the jar ships for the demo, as tests of every layer need them. */
public final class BundledData {
  private BundledData() {}

  /** The UCI handwritten digits (1,797 rows, 64 features, column "label"), copied into dir. */
  public static Path digitsCsv(Path dir) throws Exception {
    Path csv = dir.resolve("digits.csv");
    try (var in = BundledData.class.getResourceAsStream("/datasets/digits.csv")) {
      Files.copy(in, csv);
    }
    return csv;
  }

  /** The demo's 64-32-10 model file for the digits. */
  public static String digitsSpec() throws Exception {
    try (var in = BundledData.class.getResourceAsStream("/models/digits.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * The credit scoring table (4,454 rows; named, raw-scale, mixed-type columns; label column
   * "bad"), copied into dir.
   */
  public static Path creditCsv(Path dir) throws Exception {
    Path csv = dir.resolve("credit.csv");
    try (var in = BundledData.class.getResourceAsStream("/datasets/credit.csv")) {
      Files.copy(in, csv);
    }
    return csv;
  }

  /** A bundled model file: "credit" (standard scaling) or "credit-unscaled". */
  public static String modelFile(String name) throws Exception {
    try (var in = BundledData.class.getResourceAsStream("/models/" + name + ".json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
