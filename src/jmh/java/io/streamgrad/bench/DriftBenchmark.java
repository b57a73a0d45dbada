package io.streamgrad.bench;

import io.streamgrad.learn.LearnResult;
import io.streamgrad.learn.Learner;
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
 * JMH: the learner's step (validate, predict, score, plain SGD step) with no watch, with an ADWIN
 * drift detector, and with ADWIN and the divergence watch, on a stationary stream (the detector's
 * steady cost: no drift, no reaction). Run: {@code ops/jmh.sh DriftBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DriftBenchmark {
  @Param({"8-32-1", "64-64-10"})
  public String size;

  @Param({"off", "adwin", "adwin+divergence"})
  public String watch;

  private Learner learner;
  private Sample[] samples;
  private int next;

  @Setup
  public void setUp() {
    String[] s = size.split("-", -1);
    boolean classifier = !s[2].equals("1");
    String watches =
        switch (watch) {
          case "adwin" -> ", \"drift\": {\"detector\": \"adwin\"}";
          case "adwin+divergence" -> ", \"drift\": {\"detector\": \"adwin\"}, \"divergence\": {}";
          default -> "";
        };
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
            + "\", \"optimizer\": {\"type\": \"sgd\", \"learning_rate\": 0.01}"
            + watches
            + "}";
    learner = Learner.create(ModelFile.parse(spec), StatsSettings.DEFAULT);
    SplittableRandom random = new SplittableRandom(1);
    samples = new Sample[64];
    int outputs = Integer.parseInt(s[2]);
    for (int k = 0; k < samples.length; k++) {
      double[] label =
          classifier ? new double[] {random.nextInt(outputs)} : new double[] {random.nextDouble()};
      samples[k] =
          new Sample("p" + k, random.doubles(Integer.parseInt(s[0]), 0, 1).toArray(), label, 0);
    }
  }

  @Benchmark
  public LearnResult learn() {
    next = (next + 1) & 63;
    LearnResult result = learner.learn(samples[next]);
    learner.takeEvents();
    return result;
  }
}
