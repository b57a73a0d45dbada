package io.streamgrad.bench;

import com.fasterxml.jackson.core.io.NumberInput;
import io.streamgrad.learn.Sample;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.records.SampleFile;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: a 64-feature sample in JSON against the same sample in Avro, the decoder the stream runs
 * (features reused), for the forms numbers come in: six decimals (exported data, {@code bench
 * replay}'s files), full precision (Double.toString and Python's repr, {@code bench e2e}'s JSON
 * samples) and short integers. Beside them, the JDK's Double.parseDouble on the same 64 numbers,
 * the reference every number must match, and FastDoubleParser on the numbers alone. 256 different
 * samples in turn, so that neither the branch predictor nor the cache learns one line. Run: {@code
 * ops/jmh.sh JsonNumbersBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class JsonNumbersBenchmark {
  private static final int SAMPLES = 256;
  private static final int FEATURES = 64;

  @Param({"six_decimals", "full_precision", "integers"})
  public String form;

  private final SampleDecoder decoder = SampleDecoder.reusingFeatures();
  private final byte[][] json = new byte[SAMPLES][];
  private final byte[][] avro = new byte[SAMPLES][];
  private final String[][] numbers = new String[SAMPLES][FEATURES];

  /** Each line's 64 numbers, one after the other, and where each starts: their bounds known. */
  private final char[][] numberChars = new char[SAMPLES][];

  private final int[][] numberStarts = new int[SAMPLES][FEATURES + 1];
  private int next;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(11);
    for (int s = 0; s < SAMPLES; s++) {
      double[] x = new double[FEATURES];
      for (int i = 0; i < FEATURES; i++) {
        x[i] =
            switch (form) {
              case "six_decimals" -> Math.round(random.nextDouble() * 1e6) / 1e6;
              case "integers" -> random.nextInt(256);
              default -> random.nextDouble(-1, 1);
            };
        numbers[s][i] =
            form.equals("integers") ? String.valueOf((int) x[i]) : Double.toString(x[i]);
      }
      Sample sample = new Sample("s" + s, x, new double[] {random.nextInt(10)}, 0);
      String line = SampleFile.toJson(sample);
      if (form.equals("integers")) { // as a producer of counts writes them: no ".0"
        line = line.replace(".0,", ",").replace(".0]", "]");
      }
      json[s] = line.getBytes(StandardCharsets.UTF_8);
      numberChars[s] = String.join("", numbers[s]).toCharArray();
      for (int i = 0; i < FEATURES; i++) {
        numberStarts[s][i + 1] = numberStarts[s][i] + numbers[s][i].length();
      }
      avro[s] = decoder.encodeAvro(sample);
    }
    if (!new String(json[0], StandardCharsets.UTF_8).contains(numbers[0][1] + ",")) {
      throw new IllegalStateException(
          String.format(Locale.ROOT, "the JSON line does not hold %s as written", numbers[0][1]));
    }
  }

  @Benchmark
  public Sample decodeJson() {
    return decoder.decode(json[next++ & (SAMPLES - 1)]);
  }

  @Benchmark
  public Sample decodeAvro() {
    return decoder.decode(avro[next++ & (SAMPLES - 1)]);
  }

  /**
   * The floor for any JSON reader: FastDoubleParser (the copy Jackson ships, the fastest Java
   * parser of decimal text we know of) on the 64 numbers alone, each one's bounds given, no JSON
   * around them to find them in.
   */
  @Benchmark
  public double fastDoubleParserEach() {
    int s = next++ & (SAMPLES - 1);
    char[] chars = numberChars[s];
    int[] starts = numberStarts[s];
    double sum = 0;
    for (int i = 0; i < FEATURES; i++) {
      sum += NumberInput.parseDouble(chars, starts[i], starts[i + 1] - starts[i], true);
    }
    return sum;
  }

  @Benchmark
  public double parseDoubleEach() {
    String[] line = numbers[next++ & (SAMPLES - 1)];
    double sum = 0;
    for (String number : line) {
      sum += Double.parseDouble(number);
    }
    return sum;
  }
}
