package io.streamgrad.bench;

import io.streamgrad.learn.LearnResult;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.MetricValues;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
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
 * JMH: what the quality metrics cost. {@code step} is the learner's whole per-sample work
 * (validate, predict, score, one plain SGD step) with the metrics on and, as the baseline, off
 * ({@code loss.metrics=false}: the running losses and error rates only); {@code windowMetrics} is
 * the report-time computation over the default window of 100. Sizes: 8-32-1 regression (l2), 8-32-1
 * binary (bce, the one with a log per sample and a ROC AUC at report time), 64-64-10 softmax
 * classifier. Run: {@code ops/jmh.sh MetricsCostBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MetricsCostBenchmark {
  @Param({"8-32-1", "8-32-1:bce", "64-64-10"})
  public String model;

  @Param({"true", "false"})
  public boolean metrics;

  private Learner learner;
  private Sample[] samples;
  private int next;

  @Setup
  public void setUp() {
    String[] parts = model.split(":");
    String[] s = parts[0].split("-");
    int outputs = Integer.parseInt(s[2]);
    String loss = parts.length > 1 ? parts[1] : outputs > 1 ? "softmax_ce" : "l2";
    String activation =
        switch (loss) {
          case "softmax_ce" -> "softmax";
          case "bce" -> "sigmoid";
          default -> "identity";
        };
    String spec =
        "{\"model\": \"m\", \"layers\": [{\"in\": "
            + s[0]
            + ", \"out\": "
            + s[1]
            + ", \"activation\": \"sigmoid\"}, {\"in\": "
            + s[1]
            + ", \"out\": "
            + outputs
            + ", \"activation\": \""
            + activation
            + "\"}], \"loss\": \""
            + loss
            + "\", \"optimizer\": {\"type\": \"sgd\", \"learning_rate\": 0.01}}";
    learner = Learner.create(ModelFile.parse(spec), new StatsSettings(100, 100, metrics));
    SplittableRandom random = new SplittableRandom(1);
    samples = new Sample[64];
    for (int k = 0; k < samples.length; k++) {
      double[] label =
          switch (loss) {
            case "softmax_ce" -> new double[] {random.nextInt(outputs)};
            case "bce" -> new double[] {random.nextInt(2)};
            default -> new double[] {random.nextDouble()};
          };
      samples[k] =
          new Sample("p" + k, random.doubles(Integer.parseInt(s[0]), 0, 1).toArray(), label, 0);
    }
    for (int k = 0; k < 1000; k++) {
      learner.learn(samples[k & 63]); // a full window before measuring
    }
  }

  /** The learner, set up, for {@link MetricsSideBySide}. */
  Learner learner() {
    return learner;
  }

  Sample[] samples() {
    return samples;
  }

  @Benchmark
  public LearnResult step() {
    return learner.learn(samples[next++ & 63]);
  }

  @Benchmark
  public MetricValues windowMetrics() {
    return learner.stats().windowMetrics();
  }
}
