package io.streamgrad.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Late labels for a model with named inputs: the stored input is the encoded vector, the sample is
 * taken into the input statistics when it is predicted, and a scaled target is scaled when its
 * label comes. With nothing learnt in between, a late label leaves the weights and statistics an
 * immediate label would.
 */
class LateLabelsWithInputsTest {
  private static Learner learner(String spec) {
    return Learner.create(ModelFile.parse(spec).withLabelWaitMs(60_000), StatsSettings.DEFAULT);
  }

  private static Sample withoutLabel(Sample sample) {
    return Sample.named(sample.id(), sample.namedFeatures(), null, 0, 1.0);
  }

  /** Learns each sample at once, or predicts it and applies its label right after. */
  private static void learnAll(Learner learner, List<Sample> samples, boolean late) {
    for (Sample sample : samples) {
      if (!late || !sample.isLabelled()) {
        learner.learn(sample);
        continue;
      }
      Sample unlabelled = withoutLabel(sample);
      LearnResult served = learner.learn(unlabelled);
      learner.learnLabel(
          learner.served(unlabelled, served, 0), new Label(sample.id(), sample.label(), 0), 5);
    }
  }

  @Test
  void shouldLeaveTheWeightsAndStatisticsOfImmediateLabelsWhenNothingComesBetween() {
    List<Sample> samples = NamedInputFixtures.samples(40, 4);
    Learner immediate = learner(NamedInputFixtures.SPEC);
    Learner late = learner(NamedInputFixtures.SPEC);
    learnAll(immediate, samples, false);
    learnAll(late, samples, true);
    assertArrayEquals(immediate.parametersCopy(), late.parametersCopy(), 0.0);
    assertArrayEquals(immediate.preprocessor().state(), late.preprocessor().state(), 0.0);
  }

  @Test
  void shouldStoreTheEncodedInputNotTheNamedValues() {
    Learner learner = learner(NamedInputFixtures.SPEC);
    Sample sample = withoutLabel(NamedInputFixtures.samples(1, 5).get(0));
    double[] encoded = learner.encode(sample);
    Served served = learner.served(sample, learner.learn(sample), 0);
    assertArrayEquals(encoded, served.input(), 0.0);
    assertEquals(15, served.input().length);
  }

  @Test
  void shouldScoreInTheUsersUnitsAndTrainOnTheScaledTarget() {
    Learner immediate = learner(NamedInputFixtures.REGRESSION);
    Learner late = learner(NamedInputFixtures.REGRESSION);
    for (int i = 0; i < 30; i++) {
      double area = 50 + 7 * i;
      Sample sample =
          Sample.named("h" + i, Map.of("area", area), new double[] {3000 * area + 1e5}, 0, 1.0);
      LearnResult now = immediate.learn(sample);
      Sample unlabelled = withoutLabel(sample);
      LearnResult served = late.learn(unlabelled);
      LabelResult applied =
          late.learnLabel(
              late.served(unlabelled, served, 0), new Label(sample.id(), sample.label(), 0), 1);
      assertEquals(now.loss(), applied.loss(), 0.0, "the served loss, in the target's units");
    }
    assertArrayEquals(immediate.parametersCopy(), late.parametersCopy(), 0.0);
    assertArrayEquals(immediate.preprocessor().state(), late.preprocessor().state(), 0.0);
  }
}
