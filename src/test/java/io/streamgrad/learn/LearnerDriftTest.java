package io.streamgrad.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.learn.drift.Adwin;
import io.streamgrad.nn.Mlp;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Drift and divergence as a learner sees them: detection, reaction, events, checkpoint. */
class LearnerDriftTest {
  static final int CHANGE = 1500;
  static final int LENGTH = 3000;

  /** Samples to detection: ADWIN's clock (32) and its evidence need, well inside this. */
  static final int DELAY = 150;

  static String spec(String extra) {
    return """
        {"model": "d", "layers": [{"in": 2, "out": 8, "activation": "tanh"},
         {"in": 8, "out": 1, "activation": "identity"}], "loss": "l2",
         "optimizer": {"type": "%s", "learning_rate": 0.05}, "seed": 7%s}
        """
        .formatted(extra.contains("\"adam\"") ? "adam" : "sgd", extra.replace(", \"adam\"", ""));
  }

  /** y = x0 + x1/2 until the change, then y = 1 − x0 − x1/2: the concept flips. */
  static List<Sample> flippingConcept(long seed, int length, int change) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Sample> samples = new ArrayList<>();
    for (int t = 0; t < length; t++) {
      double[] x = random.doubles(2, -1, 1).toArray();
      double y = x[0] + 0.5 * x[1];
      samples.add(new Sample("s" + t, x, new double[] {t < change ? y : 1 - y}, 0));
    }
    return samples;
  }

  record Seen(int index, LearnerEvent event) {}

  static List<Seen> run(Learner learner, List<Sample> samples, int from, int to) {
    List<Seen> seen = new ArrayList<>();
    for (int t = from; t < to; t++) {
      learner.learn(samples.get(t));
      for (LearnerEvent event : learner.takeEvents()) {
        seen.add(new Seen(t, event));
      }
    }
    return seen;
  }

  static List<Seen> of(List<Seen> events, LearnerEvent.Type type) {
    return events.stream().filter(e -> e.event().type() == type).toList();
  }

  static Learner learner(String extra) {
    return Learner.create(ModelFile.parse(spec(extra)), StatsSettings.DEFAULT);
  }

  @Test
  void shouldSignalOneDriftSoonAfterTheConceptFlips() {
    Learner learner = learner(", \"drift\": {\"detector\": \"adwin\"}");
    List<Sample> samples = flippingConcept(1, LENGTH, CHANGE);
    List<Seen> drifts = of(run(learner, samples, 0, LENGTH), LearnerEvent.Type.DRIFT_DETECTED);
    assertEquals(1, drifts.size(), drifts.toString());
    Seen drift = drifts.get(0);
    assertTrue(drift.index() >= CHANGE && drift.index() < CHANGE + DELAY, "at " + drift.index());
    LearnerEvent event = drift.event();
    assertEquals("adwin", event.detector());
    assertEquals("none", event.reaction());
    assertEquals("s" + drift.index(), event.sampleId());
    assertEquals(drift.index() + 1, event.step(), "the step after the sample's own");
    assertEquals(drift.index() + 1, event.samples());
    assertTrue(event.evidence().get("statistic") > event.evidence().get("threshold"));
    assertTrue(event.evidence().get("mean_after") > event.evidence().get("mean_before"));
    assertEquals(1, learner.drifts());
  }

  @Test
  void shouldSignalWithPageHinkleyToo() {
    Learner learner = learner(", \"drift\": {\"detector\": \"page_hinkley\", \"threshold\": 5}");
    List<Seen> drifts =
        of(
            run(learner, flippingConcept(2, LENGTH, CHANGE), 0, LENGTH),
            LearnerEvent.Type.DRIFT_DETECTED);
    assertTrue(!drifts.isEmpty(), "no drift");
    int first = drifts.get(0).index();
    assertTrue(first >= CHANGE && first < CHANGE + DELAY, "at " + first);
    assertEquals("page_hinkley", drifts.get(0).event().detector());
  }

  @Test
  void shouldDrawFreshWeightsFromTheSeedAndTheResetCountOnResetModel() {
    Learner learner =
        learner(", \"drift\": {\"detector\": \"adwin\"}, \"on_drift\": \"reset_model\"");
    List<Sample> samples = flippingConcept(1, LENGTH, CHANGE);
    int at = -1;
    for (int t = 0; t < LENGTH && at < 0; t++) {
      learner.learn(samples.get(t));
      if (!learner.takeEvents().isEmpty()) {
        at = t;
      }
    }
    assertTrue(at >= CHANGE, "drift at " + at);
    ModelSpec spec = learner.spec();
    double[] expected =
        new Mlp(
                spec.architecture(),
                spec.init()
                    .initialParameters(spec.architecture(), spec.seed() + 0x9E3779B97F4A7C15L))
            .canonicalParameters();
    assertArrayEquals(expected, learner.parametersCopy());
    assertEquals(at + 1, learner.steps(), "steps go on counting across the reset");
    assertEquals(0, ((Adwin) learner.monitor().detector).width(), "the detector starts over");
    List<Seen> later = run(learner, samples, at + 1, LENGTH);
    assertEquals(List.of(), of(later, LearnerEvent.Type.DRIFT_DETECTED), "the new model learns");
    assertTrue(learner.stats().windowLoss() < 0.05, "loss " + learner.stats().windowLoss());
  }

  @Test
  void shouldClearTheOptimizerButKeepTheWeightsOnResetOptimizer() {
    Learner learner =
        learner(
            ", \"adam\", \"drift\": {\"detector\": \"adwin\"}, \"on_drift\": \"reset_optimizer\"");
    List<Sample> samples = flippingConcept(1, LENGTH, CHANGE);
    for (int t = 0; t < LENGTH; t++) {
      double[] before = learner.parametersCopy();
      learner.learn(samples.get(t));
      List<LearnerEvent> events = learner.takeEvents();
      if (!events.isEmpty()) {
        assertEquals("reset_optimizer", events.get(0).reaction());
        assertNull(learner.trainer().state().firstOrNull(), "Adam's first moment is cleared");
        assertNull(learner.trainer().state().secondOrNull(), "and its second");
        assertEquals(t + 1, learner.steps());
        assertTrue(!Arrays.equals(before, learner.parametersCopy()), "the sample's step stays");
        learner.learn(samples.get(t + 1));
        assertNotNull(learner.trainer().state().firstOrNull(), "and moments build up again");
        return;
      }
    }
    throw new AssertionError("no drift");
  }

  /** y = 2x with x in [8, 12] at rate 0.05: each step multiplies the error by about −4. */
  static List<Sample> runaway(int length) {
    SplittableRandom random = new SplittableRandom(3);
    List<Sample> samples = new ArrayList<>();
    for (int t = 0; t < length; t++) {
      double x = random.nextDouble(8, 12);
      samples.add(new Sample("r" + t, new double[] {x}, new double[] {2 * x}, 0));
    }
    return samples;
  }

  static String linear(String divergence) {
    return """
        {"model": "lin", "layers": [{"in": 1, "out": 1, "activation": "identity"}], "loss": "l2",
         "optimizer": {"type": "sgd", "learning_rate": 0.05}, "seed": 1,
         "divergence": %s}
        """
        .formatted(divergence);
  }

  @Test
  void shouldSignalADivergenceAndScaleTheLearningRateUntilTrainingIsStable() {
    Learner learner =
        Learner.create(
            ModelFile.parse(
                linear(
                    "{\"window\": 5, \"loss_factor\": 10, \"on_divergence\":"
                        + " \"scale_learning_rate\"}")),
            StatsSettings.DEFAULT);
    List<Seen> events = run(learner, runaway(400), 0, 400);
    List<Seen> divergences = of(events, LearnerEvent.Type.DIVERGENCE_DETECTED);
    assertTrue(!divergences.isEmpty(), "no divergence");
    double rate = 0.05;
    for (Seen seen : divergences) {
      rate *= 0.5;
      LearnerEvent event = seen.event();
      assertEquals("divergence", event.detector());
      assertEquals("scale_learning_rate", event.reaction());
      assertEquals(rate, event.evidence().get("learning_rate"));
      assertTrue(
          event.evidence().get("window_loss") > 10 * event.evidence().get("best_window_loss"));
    }
    assertEquals(rate, learner.learningRate());
    assertEquals(rate / 0.05, learner.learningRateScale());
    assertEquals(divergences.size(), learner.divergences());
    Seen last = divergences.get(divergences.size() - 1);
    assertTrue(last.index() < 50, "the rate stopped shrinking early: " + last);
    assertEquals(0, learner.stats().refused());
    // The runaway is stopped: the loss now falls (slowly: the bias direction is ill-conditioned).
    assertTrue(
        learner.stats().windowLoss() < 1e-6 * last.event().evidence().get("window_loss"),
        "stable: " + learner.stats().windowLoss());
  }

  @Test
  void shouldSignalOneDivergenceWithoutReactingWhenNotAsked() {
    Learner learner =
        Learner.create(
            ModelFile.parse(linear("{\"window\": 5, \"loss_factor\": 1e300}")),
            StatsSettings.DEFAULT);
    assertEquals(List.of(), run(learner, runaway(50), 0, 50), "no block grew 1e300-fold");
    Learner watched =
        Learner.create(ModelFile.parse(linear("{\"window\": 5}")), StatsSettings.DEFAULT);
    List<Seen> divergences =
        of(run(watched, runaway(60), 0, 60), LearnerEvent.Type.DIVERGENCE_DETECTED);
    assertTrue(!divergences.isEmpty());
    assertEquals("none", divergences.get(0).event().reaction());
    assertEquals(0.05, watched.learningRate());
  }

  @Test
  void shouldSignalAnOutputPastItsBoundOnce() {
    Learner learner =
        Learner.create(ModelFile.parse(linear("{\"output_limit\": 1000}")), StatsSettings.DEFAULT);
    List<Seen> divergences =
        of(run(learner, runaway(60), 0, 60), LearnerEvent.Type.DIVERGENCE_DETECTED);
    List<Seen> outputs =
        divergences.stream().filter(s -> s.event().evidence().containsKey("output")).toList();
    assertEquals(1, outputs.size(), divergences.toString());
    assertTrue(outputs.get(0).event().evidence().get("output") > 1000);
    assertEquals(1000.0, outputs.get(0).event().evidence().get("output_limit"));
  }

  @Test
  void shouldContinueBitForBitAfterACheckpointWithItsDetectors() {
    String extra =
        ", \"adam\", \"minibatch\": 3, \"drift\": {\"detector\": \"adwin\"}, \"on_drift\":"
            + " \"reset_model\", \"divergence\": {\"window\": 20, \"on_divergence\":"
            + " \"scale_learning_rate\"}";
    List<Sample> samples = flippingConcept(5, LENGTH, CHANGE);
    Learner straight = learner(extra);
    Learner restored = learner(extra);
    List<LearnerEvent> straightEvents = new ArrayList<>();
    List<LearnerEvent> restoredEvents = new ArrayList<>();
    for (int t = 0; t < LENGTH; t++) {
      if (t % 250 == 0 || t == CHANGE + 20) {
        byte[] bytes = LearnerCodec.encode(restored);
        restored = LearnerCodec.decode(bytes);
        assertArrayEquals(bytes, LearnerCodec.encode(restored), "re-encoded bit for bit at " + t);
      }
      straight.learn(samples.get(t));
      restored.learn(samples.get(t));
      straightEvents.addAll(straight.takeEvents());
      restoredEvents.addAll(restored.takeEvents());
    }
    assertTrue(!straightEvents.isEmpty());
    assertEquals(straightEvents, restoredEvents);
    assertEquals(straight.modelFile(), restored.modelFile());
    assertArrayEquals(LearnerCodec.encode(straight), LearnerCodec.encode(restored));
  }

  @Test
  void shouldRestoreAStateWrittenWithoutTheWatchesWithFreshOnes() {
    Learner learner = learner(", \"drift\": {\"detector\": \"adwin\"}");
    run(learner, flippingConcept(1, 500, 500), 0, 500);
    byte[] older = withoutSections(LearnerCodec.encode(learner), 7, 8);
    Learner restored = LearnerCodec.decode(older);
    assertEquals(0, ((Adwin) restored.monitor().detector).width());
    assertEquals(learner.modelFile(), restored.modelFile());
    assertEquals(1.0, restored.learningRateScale());
  }

  @Test
  void shouldRefuseAStateWhoseDetectorItsSpecLacks() {
    Learner with = learner(", \"drift\": {\"detector\": \"adwin\"}");
    Learner without = learner("");
    byte[] drift = section(LearnerCodec.encode(with), 7);
    byte[] state = LearnerCodec.encode(without);
    byte[] mixed = Arrays.copyOf(state, state.length + drift.length);
    System.arraycopy(drift, 0, mixed, state.length, drift.length);
    var e = assertThrows(IllegalArgumentException.class, () -> LearnerCodec.decode(mixed));
    assertTrue(e.getMessage().contains("adwin"), e.getMessage());
  }

  /** The state with the given sections left out, as a version before them wrote it. */
  static byte[] withoutSections(byte[] state, int... tags) {
    ByteBuffer in = ByteBuffer.wrap(state).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer out = ByteBuffer.allocate(state.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(state, 0, 4);
    in.position(4);
    while (in.hasRemaining()) {
      int start = in.position();
      int tag = in.getInt();
      int length = in.getInt();
      in.position(in.position() + length);
      if (Arrays.stream(tags).noneMatch(t -> t == tag)) {
        out.put(state, start, 8 + length);
      }
    }
    return Arrays.copyOf(out.array(), out.position());
  }

  static byte[] section(byte[] state, int tag) {
    ByteBuffer in = ByteBuffer.wrap(state).order(ByteOrder.LITTLE_ENDIAN);
    in.position(4);
    while (in.hasRemaining()) {
      int start = in.position();
      int t = in.getInt();
      int length = in.getInt();
      in.position(in.position() + length);
      if (t == tag) {
        return Arrays.copyOfRange(state, start, start + 8 + length);
      }
    }
    throw new AssertionError("no section " + tag);
  }
}
