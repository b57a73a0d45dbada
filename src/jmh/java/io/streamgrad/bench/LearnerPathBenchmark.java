package io.streamgrad.bench;

import io.streamgrad.learn.LearnResult;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.OutputEncoder;
import io.streamgrad.records.OutputFormat;
import io.streamgrad.records.SampleDecoder;
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
 * JMH: what the learner's stream thread does per sample besides Kafka's own work, piece by piece
 * and together, so that our cost per record can be measured without a broker's noise: decode the
 * Avro sample, learn (validate, predict, score, step), encode the prediction. Plain SGD, the e2e
 * bench's spec. Run: {@code ops/jmh.sh LearnerPathBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LearnerPathBenchmark {
  @Param({"8-32-1", "784-128-10"})
  public String size;

  private Learner learner;
  private final SampleDecoder decoder = SampleDecoder.reusingFeatures();
  private final OutputEncoder encoder = new OutputEncoder(OutputFormat.AVRO);
  private byte[][] records;
  private LearnResult[] results;
  private Sample[] samples;
  private int next;

  @Setup
  public void setUp() {
    String[] s = size.split("-");
    boolean classifier = !s[2].equals("1");
    String spec =
        "{\"model\": \"m\", \"layers\": [{\"in\": "
            + s[0]
            + ", \"out\": "
            + s[1]
            + ", \"activation\": \"sigmoid\"}, {\"in\": "
            + s[1]
            + ", \"out\": "
            + s[2]
            + ", \"activation\": \""
            + (classifier ? "softmax" : "identity")
            + "\"}], \"loss\": \""
            + (classifier ? "softmax_ce" : "l2")
            + "\", \"optimizer\": {\"type\": \"sgd\", \"learning_rate\": 0.01}}";
    learner = Learner.create(ModelFile.parse(spec), StatsSettings.DEFAULT);
    SplittableRandom random = new SplittableRandom(1);
    SampleDecoder avro = new SampleDecoder();
    records = new byte[64][];
    samples = new Sample[64];
    int outputs = Integer.parseInt(s[2]);
    for (int k = 0; k < records.length; k++) {
      double[] label =
          classifier ? new double[] {random.nextInt(outputs)} : new double[] {random.nextDouble()};
      samples[k] =
          new Sample(
              "p" + (1000 + k), random.doubles(Integer.parseInt(s[0]), 0, 1).toArray(), label, 0);
      records[k] = avro.encodeAvro(samples[k]);
    }
    results = new LearnResult[records.length];
    for (int k = 0; k < records.length; k++) {
      results[k] = learner.learn(samples[k]);
    }
  }

  /** The learner alone on decoded samples: validate, predict, score, step, the result record. */
  @Benchmark
  public LearnResult learn() {
    return learner.learn(samples[next++ & 63]);
  }

  @Benchmark
  public Sample decode() {
    return decoder.decode(records[next++ & 63]);
  }

  @Benchmark
  public byte[] encode() {
    return encoder.encodePrediction("m", results[next++ & 63], 1_700_000_000_000L);
  }

  /** Everything of ours per record: decode, learn, encode the prediction. */
  @Benchmark
  public byte[] decodeLearnEncode() {
    LearnResult result = learner.learn(decoder.decode(records[next++ & 63]));
    return encoder.encodePrediction("m", result, 1_700_000_000_000L);
  }
}
