package io.streamgrad.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A learner with named inputs: encoding, progressive statistics, and their state's journeys. */
class NamedInputsLearnerTest {
  private static final String SPEC = NamedInputFixtures.SPEC;
  private static final String REGRESSION = NamedInputFixtures.REGRESSION;

  private static List<Sample> samples(int n, long seed) {
    return NamedInputFixtures.samples(n, seed);
  }

  private static Learner learner(String spec) {
    return Learner.create(ModelFile.parse(spec), StatsSettings.DEFAULT);
  }

  @Test
  void shouldTrainOnTheVectorEncodedBeforeTheSampleIsTakenIn() {
    Learner learner = learner(SPEC);
    for (Sample sample : samples(20, 1)) {
      double[] before = learner.encode(sample);
      learner.learn(sample);
      assertArrayEquals(before, learner.lastInput(), 0.0);
    }
    Sample next = samples(21, 1).get(20);
    assertNotEquals(
        learner.encode(next)[0],
        learner(SPEC).encode(next)[0],
        "the statistics of the twenty samples scale the amount");
  }

  @Test
  void shouldRefuseBadInputNamingItAndChangeNothing() {
    Learner learner = learner(SPEC);
    for (Sample sample : samples(10, 2)) {
      learner.learn(sample);
    }
    byte[] before = LearnerCodec.encode(learner);
    Map<String, Object> named = new HashMap<>(samples(1, 3).get(0).namedFeatures());
    named.put("amount", "a lot");
    RejectedException e =
        assertThrows(
            RejectedException.class,
            () -> learner.learn(Sample.named("bad", named, new double[] {1}, 0, 1.0)));
    assertEquals(ReasonCode.BAD_INPUT, e.reason());
    assertTrue(e.getMessage().contains("'amount'"), e.getMessage());
    assertArrayEquals(before, LearnerCodec.encode(learner));
  }

  @Test
  void shouldCountTheFieldsNoInputNames() {
    Learner learner = learner(SPEC);
    for (Sample sample : samples(10, 2)) {
      learner.learn(sample);
    }
    assertEquals(2, learner.unnamedFields(), "samples 0 and 5 carry a comment");
  }

  @Test
  void shouldTakeAnArrayInTheOrderOfTheInputsWhenAllAreNumeric() {
    Learner learner = learner(REGRESSION);
    Map<String, Object> named = new HashMap<>();
    named.put("area", 120.0);
    learner.learn(Sample.named("a", named, new double[] {300_000}, 0, 1.0));
    Learner same = learner(REGRESSION);
    same.learn(new Sample("a", new double[] {120}, new double[] {300_000}, 0));
    assertArrayEquals(LearnerCodec.encode(learner), LearnerCodec.encode(same));
  }

  @Test
  void shouldReportTheLossOfAStandardizedTargetInTheUsersUnits() {
    Learner learner = learner(REGRESSION);
    double[][] rows = {{100, 200_000}, {150, 300_000}, {120, 240_000}};
    LearnResult result = null;
    for (double[] row : rows) {
      result = learner.learn(new Sample("r", new double[] {row[0]}, new double[] {row[1]}, 0));
    }
    double error = result.outputs()[0] - 240_000;
    assertEquals(0.5 * error * error, result.loss(), 1e-6 * result.loss());
    assertTrue(Math.abs(result.outputs()[0]) > 1000, "the prediction is in the target's units");
  }

  @Test
  void shouldRestoreThePreprocessingFromTheChangelogBitForBit() {
    Learner original = learner(SPEC);
    List<Sample> list = samples(60, 4);
    for (Sample sample : list.subList(0, 30)) {
      original.learn(sample);
    }
    Learner restored = LearnerCodec.decode(LearnerCodec.encode(original));
    for (Sample sample : list.subList(30, 60)) {
      assertArrayEquals(original.learn(sample).outputs(), restored.learn(sample).outputs(), 0.0);
    }
    assertArrayEquals(LearnerCodec.encode(original), LearnerCodec.encode(restored));
  }

  /** The state without section tag: as a Streamgrad written before that section existed. */
  private static byte[] withoutSection(byte[] state, int tag) {
    java.nio.ByteBuffer in =
        java.nio.ByteBuffer.wrap(state).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(state, 0, 4);
    in.position(4);
    while (in.hasRemaining()) {
      int start = in.position();
      int sectionTag = in.getInt();
      int length = in.getInt();
      in.position(in.position() + length);
      if (sectionTag != tag) {
        out.write(state, start, 8 + length);
      }
    }
    return out.toByteArray();
  }

  @Test
  void shouldStartTheStatisticsAfreshFromAStateWithoutTheirSection() {
    Learner learner = learner(SPEC);
    for (Sample sample : samples(10, 7)) {
      learner.learn(sample);
    }
    Learner restored = LearnerCodec.decode(withoutSection(LearnerCodec.encode(learner), 10));
    assertArrayEquals(learner(SPEC).preprocessor().state(), restored.preprocessor().state(), 0.0);
    assertArrayEquals(learner.parametersCopy(), restored.parametersCopy(), 0.0);
  }

  @Test
  void shouldRefuseStatisticsInAStateWhoseSpecHasNoInputs() {
    Learner plain =
        Learner.create(
            ModelFile.parse(
                "{\"model\": \"p\", \"layers\": [{\"in\": 1, \"out\": 1, \"activation\":"
                    + " \"identity\"}], \"loss\": \"l2\"}"),
            StatsSettings.DEFAULT);
    Learner scaled = learner(REGRESSION);
    byte[] planted = LearnerCodec.encode(plain);
    byte[] statistics = LearnerCodec.encode(scaled);
    // The tag-10 section of the scaled model, appended to the plain model's state.
    byte[] section = new byte[0];
    java.nio.ByteBuffer in =
        java.nio.ByteBuffer.wrap(statistics).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    in.position(4);
    while (in.hasRemaining()) {
      int start = in.position();
      int tag = in.getInt();
      int length = in.getInt();
      in.position(in.position() + length);
      if (tag == 10) {
        section = java.util.Arrays.copyOfRange(statistics, start, start + 8 + length);
      }
    }
    byte[] both = java.util.Arrays.copyOf(planted, planted.length + section.length);
    System.arraycopy(section, 0, both, planted.length, section.length);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LearnerCodec.decode(both));
    assertTrue(e.getMessage().contains("preprocessing"), e.getMessage());
  }

  @Test
  void shouldCarryThePreprocessingThroughTheModelFile() {
    Learner original = learner(SPEC);
    List<Sample> list = samples(60, 5);
    for (Sample sample : list.subList(0, 30)) {
      original.learn(sample);
    }
    String file = original.modelFile();
    assertTrue(file.contains("\"preprocessing\""), file);
    Learner warm = Learner.create(ModelFile.parse(file), StatsSettings.DEFAULT);
    assertArrayEquals(original.preprocessor().state(), warm.preprocessor().state(), 0.0);
    for (Sample sample : list.subList(30, 60)) {
      assertArrayEquals(original.learn(sample).outputs(), warm.learn(sample).outputs(), 0.0);
    }
    assertEquals(original.modelFile(), warm.modelFile());
  }

  @Test
  void shouldLeaveUnlabelledSamplesOutOfTheStatisticsUnlessTheSpecSaysSo() {
    Learner learner = learner(SPEC);
    Sample unlabelled = samples(6, 6).get(5);
    learner.learn(unlabelled);
    assertEquals(0.0, learner.preprocessor().state()[1], "no amount counted");
    Learner counting =
        learner(SPEC.replace("\"seed\": 9", "\"seed\": 9, \"update_on_unlabelled\": true"));
    counting.learn(unlabelled);
    assertEquals(1.0, counting.preprocessor().state()[1], "the amount counted");
  }
}
