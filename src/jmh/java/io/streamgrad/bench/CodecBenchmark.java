package io.streamgrad.bench;

import io.streamgrad.learn.Learner;
import io.streamgrad.learn.LearnerCodec;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.AvroCodec;
import io.streamgrad.records.ConfluentFraming;
import io.streamgrad.records.ConfluentWire;
import io.streamgrad.records.SampleDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
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
 * JMH: the record codecs. The learner state codec runs once per changed model per commit; the
 * sample decoders once per record. Run: {@code ops/jmh.sh CodecBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CodecBenchmark {
  @Param({"8-32-1", "64-64-10", "784-128-10"})
  public String size;

  private Learner learner;
  private byte[] state;
  private final SampleDecoder samples = new SampleDecoder();
  private byte[] avroSample;
  private byte[] jsonSample;

  /** Samples in the Confluent wire format, ids resolved from a table (looked up once each). */
  private final SampleDecoder registrySamples =
      new SampleDecoder()
          .readingRegistry(
              new ConfluentWire(
                  id ->
                      Optional.of(
                          id == 1
                              ? io.streamgrad.avro.Sample.getClassSchema()
                              : AvroCodec.releasedSchemas("Sample").get(0)),
                  Map.of(),
                  10));

  private byte[] confluentSample;
  private byte[] confluentOlderSample;

  @Setup
  public void setUp() {
    String[] s = size.split("-");
    String spec =
        "{\"model\": \"m\", \"layers\": [{\"in\": "
            + s[0]
            + ", \"out\": "
            + s[1]
            + ", \"activation\": \"sigmoid\"}, {\"in\": "
            + s[1]
            + ", \"out\": "
            + s[2]
            + ", \"activation\": \"identity\"}], \"loss\": \"l2\", \"optimizer\": {\"type\": \"adam\"}}";
    learner = Learner.create(ModelFile.parse(spec), StatsSettings.DEFAULT);
    SplittableRandom random = new SplittableRandom(1);
    int inputs = Integer.parseInt(s[0]);
    Sample sample =
        new Sample(
            "s",
            random.doubles(inputs, 0, 1).toArray(),
            random.doubles(Integer.parseInt(s[2]), 0, 1).toArray(),
            0);
    learner.learn(sample);
    state = LearnerCodec.encode(learner);
    avroSample = samples.encodeAvro(sample);
    jsonSample = io.streamgrad.records.SampleFile.toJson(sample).getBytes(StandardCharsets.UTF_8);
    confluentSample = framed(1, avroSample);
    // The older writer schema (no weight) of the same body minus its last field: the resolving
    // reader's path, which any writer schema other than ours takes.
    confluentOlderSample = Arrays.copyOf(framed(2, avroSample), 5 + avroSample.length - 10 - 8);
  }

  private static byte[] framed(int id, byte[] singleObject) {
    byte[] body = Arrays.copyOfRange(singleObject, 10, singleObject.length);
    byte[] framed = new byte[5 + body.length];
    System.arraycopy(ConfluentFraming.header(id), 0, framed, 0, 5);
    System.arraycopy(body, 0, framed, 5, body.length);
    return framed;
  }

  @Benchmark
  public Sample decodeConfluentSample() {
    return registrySamples.decode(confluentSample);
  }

  @Benchmark
  public Sample decodeConfluentOlderWriterSample() {
    return registrySamples.decode(confluentOlderSample);
  }

  @Benchmark
  public byte[] encodeLearnerState() {
    return LearnerCodec.encode(learner);
  }

  @Benchmark
  public Learner decodeLearnerState() {
    return LearnerCodec.decode(state);
  }

  @Benchmark
  public Sample decodeAvroSample() {
    return samples.decode(avroSample);
  }

  @Benchmark
  public Sample decodeJsonSample() {
    return samples.decode(jsonSample);
  }
}
