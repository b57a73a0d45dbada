package io.streamgrad.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.nn.Activation;
import io.streamgrad.nn.Architecture;
import io.streamgrad.nn.Initializer;
import io.streamgrad.nn.Loss;
import io.streamgrad.nn.Mlp;
import io.streamgrad.nn.Optimizer;
import io.streamgrad.nn.Trainer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LearnerTest {
  static final Architecture CLASSIFIER =
      Architecture.parse("3-4-3", Activation.TANH, Activation.SOFTMAX, Loss.SOFTMAX_CE);

  static Learner classifier() {
    return Learner.create(
        ModelSpec.fresh("m", CLASSIFIER, Optimizer.Sgd.plain(0.1), 5), StatsSettings.DEFAULT);
  }

  static Learner learner(Architecture arch, Optimizer optimizer, int minibatch) {
    return Learner.create(
        new ModelSpec(
            "m", 1, arch, optimizer, minibatch, 0.0, 5, Initializer.XAVIER, null, null, 0),
        StatsSettings.DEFAULT);
  }

  @Test
  void shouldPredictWithTheWeightsFromBeforeTheSample() {
    Learner learner = classifier();
    double[] x = {0.5, -1, 2};
    double[] expected =
        new Mlp(CLASSIFIER, Initializer.XAVIER.initialParameters(CLASSIFIER, 5)).forward(x).clone();
    LearnResult result = learner.learn(new Sample("a", x, new double[] {2}, 0));
    assertArrayEquals(expected, result.outputs(), 0.0);
    assertEquals(0, result.step());
    assertEquals(Trainer.Outcome.STEPPED, result.outcome());
    assertEquals(1, learner.steps());
    assertEquals(-Math.log(expected[2]), result.loss(), 1e-12);
  }

  @Test
  void shouldPredictWhatLearnWouldHavePredicted() {
    double[] x = {0.5, -1, 2};
    Learner.Prediction prediction = classifier().predict(x);
    LearnResult learned = classifier().learn(new Sample("a", x, new double[] {2}, 0));
    assertArrayEquals(learned.outputs(), prediction.outputs(), 0.0);
    assertEquals(learned.decision(), prediction.decision());
  }

  @Test
  void shouldPredictWithoutChangingWeightsStepsOrStatistics() {
    Learner learner = classifier();
    double[] before = learner.parametersCopy();
    learner.predict(new double[] {1, 2, 3});
    assertArrayEquals(before, learner.parametersCopy(), 0.0);
    assertEquals(0, learner.steps());
    assertEquals(0, learner.stats().samples());
  }

  @Test
  void shouldRefuseToPredictFromTheWrongNumberOfFeatures() {
    RejectedException e =
        assertThrows(RejectedException.class, () -> classifier().predict(new double[] {1, 2}));
    assertEquals(ReasonCode.WRONG_FEATURE_COUNT, e.reason());
  }

  @Test
  void shouldOnlyPredictAnUnlabelledSample() {
    Learner learner = classifier();
    double[] before = learner.parametersCopy();
    LearnResult result = learner.learn(new Sample("u", new double[] {1, 2, 3}, null, 0));
    assertNull(result.loss());
    assertNull(result.outcome());
    assertArrayEquals(before, learner.parametersCopy(), 0.0);
    assertEquals(1, learner.stats().samples());
    assertEquals(0, learner.stats().labelled());
  }

  @Test
  void shouldRejectEachKindOfUnusableSampleWithoutTouchingTheModel() {
    Learner learner = classifier();
    double[] before = learner.parametersCopy();
    assertRejected(
        learner,
        new Sample("a", new double[] {1, 2}, new double[] {0}, 0),
        ReasonCode.WRONG_FEATURE_COUNT);
    assertRejected(
        learner,
        new Sample("b", new double[] {1, Double.NaN, 2}, new double[] {0}, 0),
        ReasonCode.NON_FINITE_FEATURE);
    assertRejected(
        learner,
        new Sample("c", new double[] {1, Double.POSITIVE_INFINITY, 2}, null, 0),
        ReasonCode.NON_FINITE_FEATURE);
    assertRejected(
        learner,
        new Sample("d", new double[] {1, 2, 3}, new double[] {Double.NaN}, 0),
        ReasonCode.NON_FINITE_LABEL);
    assertRejected(
        learner,
        new Sample("e", new double[] {1, 2, 3}, new double[] {3}, 0),
        ReasonCode.BAD_LABEL);
    assertRejected(
        learner,
        new Sample("f", new double[] {1, 2, 3}, new double[] {1.5}, 0),
        ReasonCode.BAD_LABEL);
    assertRejected(
        learner,
        new Sample("g", new double[] {1, 2, 3}, new double[] {0, 1}, 0),
        ReasonCode.BAD_LABEL);
    Learner bce =
        learner(
            Architecture.parse("2-1", Activation.SIGMOID, Activation.SIGMOID, Loss.BCE),
            Optimizer.Sgd.plain(0.1),
            1);
    assertRejected(
        bce, new Sample("h", new double[] {1, 2}, new double[] {1.5}, 0), ReasonCode.BAD_LABEL);
    Learner hinge =
        learner(
            Architecture.parse("2-1", Activation.TANH, Activation.IDENTITY, Loss.HINGE),
            Optimizer.Sgd.plain(0.1),
            1);
    assertRejected(
        hinge, new Sample("i", new double[] {1, 2}, new double[] {0}, 0), ReasonCode.BAD_LABEL);
    Learner regression =
        learner(
            Architecture.parse("2-2", Activation.TANH, Activation.IDENTITY, Loss.L2),
            Optimizer.Sgd.plain(0.1),
            1);
    assertRejected(
        regression,
        new Sample("j", new double[] {1, 2}, new double[] {0.5}, 0),
        ReasonCode.BAD_LABEL);
    assertArrayEquals(before, learner.parametersCopy(), 0.0);
    assertEquals(0, learner.stats().samples());
  }

  private static void assertRejected(Learner learner, Sample sample, ReasonCode reason) {
    RejectedException e = assertThrows(RejectedException.class, () -> learner.learn(sample));
    assertEquals(reason, e.reason());
    assertTrue(
        e.getMessage().contains("'" + sample.id() + "'") || e.getMessage().contains(sample.id()),
        e.getMessage());
  }

  @Test
  void shouldRefuseANonFiniteStepAndCountIt() {
    Learner learner =
        learner(
            Architecture.parse("1-1", Activation.IDENTITY, Activation.IDENTITY, Loss.L2),
            Optimizer.Sgd.plain(1e300),
            1);
    int refusedBefore = 0;
    for (int s = 0; s < 20; s++) {
      LearnResult result =
          learner.learn(new Sample("s" + s, new double[] {1e10}, new double[] {1}, 0));
      for (double o : result.outputs()) {
        assertTrue(Double.isFinite(o), "predictions stay finite");
      }
    }
    assertTrue(learner.stats().refused() > refusedBefore);
    for (double p : learner.parametersCopy()) {
      assertTrue(Double.isFinite(p), "a model never holds NaN or infinity");
    }
    Learner adam =
        learner(
            Architecture.parse("1-1", Activation.IDENTITY, Activation.IDENTITY, Loss.L2),
            new Optimizer.Sgd(1e200, 0.5, false, 0.0),
            2);
    for (int s = 0; s < 20; s++) {
      adam.learn(new Sample("s" + s, new double[] {1e10}, new double[] {1}, 0));
    }
    assertTrue(adam.stats().refused() > 0);
    for (double p : adam.parametersCopy()) {
      assertTrue(Double.isFinite(p) && Math.abs(p) <= Trainer.PARAMETER_LIMIT);
    }
  }

  @Test
  void shouldKeepRunningStatistics() {
    Learner learner = classifier();
    SplittableRandom random = new SplittableRandom(3);
    double sum = 0;
    for (int s = 0; s < 50; s++) {
      double[] x = random.doubles(3, -1, 1).toArray();
      LearnResult result =
          learner.learn(new Sample("s" + s, x, new double[] {x[0] > 0 ? 1 : 0}, 0));
      sum += result.loss();
    }
    learner.learn(new Sample("u", new double[] {0, 0, 0}, null, 0));
    assertEquals(51, learner.stats().samples());
    assertEquals(50, learner.stats().labelled());
    assertEquals(sum / 50, learner.stats().meanLoss(), 1e-12);
    assertTrue(learner.stats().errorRate() >= 0 && learner.stats().errorRate() <= 1);
    assertTrue(Double.isFinite(learner.stats().ewmaLoss()));
  }

  @Test
  void shouldContinueBitIdenticallyAfterACodecRoundTrip() {
    Architecture arch =
        Architecture.parse("4-6-3", Activation.RELU, Activation.SOFTMAX, Loss.SOFTMAX_CE);
    Learner original = learner(arch, Optimizer.Adam.withDefaults(0.01), 4);
    SplittableRandom random = new SplittableRandom(11);
    Sample[] samples = new Sample[103];
    for (int s = 0; s < samples.length; s++) {
      samples[s] =
          new Sample(
              "s" + s,
              random.doubles(4, -1, 1).toArray(),
              s % 7 == 0 ? null : new double[] {random.nextInt(3)},
              0);
    }
    for (int s = 0; s < 50; s++) {
      original.learn(samples[s]); // 50 samples: a partial minibatch is pending
    }
    Learner restored = LearnerCodec.decode(LearnerCodec.encode(original));
    for (int s = 50; s < samples.length; s++) {
      LearnResult a = original.learn(samples[s]);
      LearnResult b = restored.learn(samples[s]);
      assertArrayEquals(a.outputs(), b.outputs(), 0.0);
    }
    assertArrayEquals(original.parametersCopy(), restored.parametersCopy(), 0.0);
    assertEquals(original.modelFile(), restored.modelFile());
    assertArrayEquals(LearnerCodec.encode(original), LearnerCodec.encode(restored));
  }

  @Test
  void shouldRejectBytesThatAreNotALearnerState() {
    assertThrows(
        IllegalArgumentException.class, () -> LearnerCodec.decode(new byte[] {1, 2, 3, 4}));
    byte[] good = LearnerCodec.encode(classifier());
    assertThrows(
        IllegalArgumentException.class,
        () -> LearnerCodec.decode(java.util.Arrays.copyOf(good, good.length / 2)));
  }

  @Test
  void shouldScoreTheMetricsOnTheOutputsItServedBeforeTraining() {
    Architecture regression =
        Architecture.parse("3-4-2", Activation.TANH, Activation.IDENTITY, Loss.L2);
    Learner learner = learner(regression, Optimizer.Sgd.plain(0.05), 1);
    SplittableRandom random = new SplittableRandom(3);
    double absoluteErrors = 0;
    int labelled = 0;
    for (int s = 0; s < 40; s++) {
      double[] x = random.doubles(3, -1, 1).toArray();
      double[] y = s % 5 == 0 ? null : new double[] {x[0] + x[1], x[2]};
      LearnResult result = learner.learn(new Sample("s" + s, x, y, 0));
      if (y != null) {
        labelled++;
        for (int k = 0; k < 2; k++) {
          absoluteErrors += Math.abs(result.outputs()[k] - y[k]);
        }
      }
    }
    assertEquals(absoluteErrors / (2 * labelled), learner.stats().metrics().mae(), 1e-12);
    assertTrue(Double.isNaN(learner.stats().metrics().accuracy()), "a regression");
  }

  @Test
  void shouldKeepOnlyTheLossesWhenMetricsAreOff() {
    Learner learner =
        Learner.create(
            ModelSpec.fresh("m", CLASSIFIER, Optimizer.Sgd.plain(0.1), 5),
            new StatsSettings(100, 100, false));
    learner.learn(new Sample("a", new double[] {0.5, -1, 2}, new double[] {2}, 0));
    assertEquals(MetricValues.NONE, learner.stats().metrics());
    assertEquals(MetricValues.NONE, learner.stats().windowMetrics());
    assertTrue(learner.stats().meanLoss() > 0);
  }
}
