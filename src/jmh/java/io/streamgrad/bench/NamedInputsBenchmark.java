package io.streamgrad.bench;

import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.SampleDecoder;
import io.streamgrad.records.SampleFile;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: what named inputs cost per record, next to the SGD step they feed. A 30-input named sample
 * (20 numeric standard-scaled, 4 boolean, 4 categorical of 7 values, 2 hashed into 4 buckets: 64
 * slots) in JSON and in Avro (Sample v3): decoding alone, decoding and encoding into the network's
 * input vector; beside it, the array form's decoding and one predict-then-train of a 64-64-10
 * network. Run: {@code ops/jmh.sh NamedInputsBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class NamedInputsBenchmark {
  private static final String[] COLOURS = {
    "red", "green", "blue", "cyan", "magenta", "yellow", "k"
  };

  private final SampleDecoder decoder = new SampleDecoder();
  private Learner named;
  private Learner plain;
  private byte[] namedJson;
  private byte[] namedAvro;
  private byte[] arrayJson;
  private Sample arraySample;

  static String namedSpec() {
    StringBuilder inputs = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      inputs
          .append("{\"name\": \"n")
          .append(i)
          .append("\", \"type\": \"numeric\", \"scale\": \"standard\"},");
    }
    for (int i = 0; i < 4; i++) {
      inputs.append("{\"name\": \"b").append(i).append("\", \"type\": \"boolean\"},");
    }
    for (int i = 0; i < 4; i++) {
      inputs
          .append("{\"name\": \"c")
          .append(i)
          .append("\", \"type\": \"categorical\", \"values\": [\"")
          .append(String.join("\", \"", java.util.Arrays.copyOf(COLOURS, 7)))
          .append("\"], \"unknown\": \"slot\"},");
    }
    inputs.append("{\"name\": \"h0\", \"type\": \"categorical\", \"hash_buckets\": 4},");
    inputs.append("{\"name\": \"h1\", \"type\": \"categorical\", \"hash_buckets\": 4}");
    return "{\"model\": \"m\", \"inputs\": ["
        + inputs
        + "], \"layers\": [{\"in\": 64, \"out\": 64, \"activation\": \"sigmoid\"},"
        + " {\"in\": 64, \"out\": 10, \"activation\": \"softmax\"}], \"loss\": \"softmax_ce\"}";
  }

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(1);
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      values.put("n" + i, 1e5 * random.nextDouble());
    }
    for (int i = 0; i < 4; i++) {
      values.put("b" + i, random.nextBoolean());
    }
    for (int i = 0; i < 4; i++) {
      values.put("c" + i, COLOURS[random.nextInt(COLOURS.length)]);
    }
    values.put("h0", "merchant-" + random.nextInt(1000));
    values.put("h1", "city-" + random.nextInt(1000));
    Sample sample = Sample.named("s-1", values, new double[] {3}, 0, 1.0);
    namedJson = SampleFile.toJson(sample).getBytes(StandardCharsets.UTF_8);
    namedAvro = decoder.encodeAvro(sample);
    named = Learner.create(ModelFile.parse(namedSpec()), StatsSettings.DEFAULT);
    plain =
        Learner.create(ModelFile.parse(ModelFile.sketch("m", "64-64-10")), StatsSettings.DEFAULT);
    arraySample = new Sample("s-1", random.doubles(64, 0, 1).toArray(), new double[] {3}, 0);
    arrayJson = SampleFile.toJson(arraySample).getBytes(StandardCharsets.UTF_8);
    for (int s = 0; s < 100; s++) {
      named.learn(decoder.decode(namedJson));
    }
  }

  @Benchmark
  public Sample decodeNamedJson() {
    return decoder.decode(namedJson);
  }

  @Benchmark
  public Sample decodeNamedAvro() {
    return decoder.decode(namedAvro);
  }

  @Benchmark
  public double[] decodeAndEncodeNamedJson() {
    return named.encode(decoder.decode(namedJson));
  }

  @Benchmark
  public double[] decodeAndEncodeNamedAvro() {
    return named.encode(decoder.decode(namedAvro));
  }

  @Benchmark
  public Sample decodeArrayJson() {
    return decoder.decode(arrayJson);
  }

  /** The 64-64-10 predict-then-train step alone, on an array sample already decoded. */
  @Benchmark
  public Object step64x64x10() {
    return plain.learn(arraySample);
  }

  /** The whole learner path of a named JSON sample: decode, encode, predict, train, statistics. */
  @Benchmark
  public Object learnNamedJson() {
    return named.learn(decoder.decode(namedJson));
  }
}
