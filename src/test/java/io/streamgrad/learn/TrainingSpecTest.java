package io.streamgrad.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgrad.nn.LrSchedule;
import io.streamgrad.nn.Optimizer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The model file's optimizers, {@code lr_schedule} and {@code class_weights}. */
class TrainingSpecTest {
  private static final String CLASSIFIER =
      "{\"model\": \"m\", \"layers\": [{\"in\": 3, \"out\": 4, \"activation\": \"tanh\"},"
          + " {\"in\": 4, \"out\": 3, \"activation\": \"softmax\"}], \"loss\": \"softmax_ce\"";

  private static ModelSpec parse(String fields) {
    return ModelFile.parse(CLASSIFIER + (fields.isEmpty() ? "" : ", " + fields) + "}");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"adamw", "rmsprop", "adagrad"})
  void shouldFillInPyTorchsDefaults(String type) {
    Optimizer expected =
        switch (type) {
          case "adamw" -> new Optimizer.AdamW(0.001, 0.9, 0.999, 1e-8, 0.01);
          case "rmsprop" -> new Optimizer.RmsProp(0.01, 0.99, 1e-8, 0.0, 0.0, false);
          default -> new Optimizer.Adagrad(0.01, 0.0, 0.0, 0.0, 1e-10);
        };
    assertEquals(expected, parse("\"optimizer\": {\"type\": \"" + type + "\"}").optimizer());
  }

  static Stream<Arguments> schedulesWithDefaults() {
    return Stream.of(
        Arguments.of("{\"type\": \"step\", \"step_size\": 10}", new LrSchedule.Step(10, 0.1)),
        Arguments.of(
            "{\"type\": \"exponential\", \"gamma\": 0.99}", new LrSchedule.Exponential(0.99)),
        Arguments.of(
            "{\"type\": \"cosine_warm_restarts\", \"t_0\": 50}",
            new LrSchedule.CosineWarmRestarts(50, 1, 0.0)),
        Arguments.of("{\"type\": \"linear_warmup\"}", new LrSchedule.LinearWarmup(1.0 / 3, 5)),
        Arguments.of(
            "{\"type\": \"inverse_time\", \"decay\": 0.01}",
            new LrSchedule.InverseTime(0.01, 0.5)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schedulesWithDefaults")
  void shouldFillInTheScheduleDefaults(String schedule, LrSchedule expected) {
    assertEquals(expected, parse("\"lr_schedule\": " + schedule).lrSchedule());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "optimizer.type: unknown 'lbfgs'; accepted: sgd, adam, adamw, rmsprop, adagrad|\"optimizer\": {\"type\": \"lbfgs\"}",
        "optimizer.alpha: not a field of the adam optimizer (it is one of rmsprop's)|\"optimizer\": {\"type\": \"adam\", \"alpha\": 0.9}",
        "optimizer.lr_decay: not a field of the rmsprop optimizer (it is one of adagrad's)|\"optimizer\": {\"type\": \"rmsprop\", \"lr_decay\": 0.1}",
        "optimizer.centred: unknown field; did you mean centered?|\"optimizer\": {\"type\": \"rmsprop\", \"centred\": true}",
        "optimizer.centered: expected true or false, got 1|\"optimizer\": {\"type\": \"rmsprop\", \"centered\": 1}",
        "optimizer.alpha must lie in [0.0, 1.0), got 1.0|\"optimizer\": {\"type\": \"rmsprop\", \"alpha\": 1.0}",
        "optimizer.lr_decay must be a finite number >= 0, got -0.1|\"optimizer\": {\"type\": \"adagrad\", \"lr_decay\": -0.1}",
        "optimizer.initial_accumulator_value must be a finite number >= 0, got -1.0|\"optimizer\": {\"type\": \"adagrad\", \"initial_accumulator_value\": -1}",
        "optimizer.weight_decay must be a finite number >= 0, got -0.01|\"optimizer\": {\"type\": \"adamw\", \"weight_decay\": -0.01}",
        "optimizer_state.third: expected 31 values|\"optimizer_state\": {\"third\": [1, 2]}",
        "lr_schedule: expected an object {type, ...}, got \"step\"|\"lr_schedule\": \"step\"",
        "lr_schedule.type: missing, expected a string|\"lr_schedule\": {\"gamma\": 0.5}",
        "lr_schedule.type: unknown 'cosine'; accepted: step, exponential, cosine_warm_restarts, linear_warmup, inverse_time|\"lr_schedule\": {\"type\": \"cosine\"}",
        "lr_schedule.step_size: missing, expected an integer|\"lr_schedule\": {\"type\": \"step\"}",
        "lr_schedule.step_size: expected a 64-bit integer, got 2.5|\"lr_schedule\": {\"type\": \"step\", \"step_size\": 2.5}",
        "lr_schedule.gamma: missing, expected a number|\"lr_schedule\": {\"type\": \"exponential\"}",
        "lr_schedule.gamma must lie in (0, 1], got 1.5|\"lr_schedule\": {\"type\": \"exponential\", \"gamma\": 1.5}",
        "lr_schedule.gama: unknown field; did you mean gamma?|\"lr_schedule\": {\"type\": \"step\", \"step_size\": 5, \"gama\": 0.5}",
        "lr_schedule.t_0 must be >= 1, got 0|\"lr_schedule\": {\"type\": \"cosine_warm_restarts\", \"t_0\": 0}",
        "lr_schedule.t_mult: expected a 64-bit integer, got 1.5|\"lr_schedule\": {\"type\": \"cosine_warm_restarts\", \"t_0\": 5, \"t_mult\": 1.5}",
        "lr_schedule.start_factor must lie in (0, 1], got 2.0|\"lr_schedule\": {\"type\": \"linear_warmup\", \"start_factor\": 2}",
        "lr_schedule.decay: missing, expected a number|\"lr_schedule\": {\"type\": \"inverse_time\"}",
        "class_weights: expected an array of numbers, got 2|\"class_weights\": 2",
        "class_weights: expected 3 values (one per class), got 2|\"class_weights\": [1, 2]",
        "class_weights[1]: expected a finite number >= 0, got -1.0|\"class_weights\": [1, -1, 2]",
        "class_weights[0]: expected a finite number >= 0, got \"a\"|\"class_weights\": [\"a\", 1, 2]",
      })
  void shouldRejectABadSettingNamingTheField(String expected, String field) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(field));
    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "class_weights: only softmax_ce (one weight per class) and bce (one pos_weight per output) take class weights, not l2|identity|l2|[1]",
        "class_weights: expected 2 values (one per output), got 1|sigmoid|bce|[1]",
      })
  void shouldTakeClassWeightsOnlyForTheLossesThatHaveThem(
      String expected, String activation, String loss, String weights) {
    String file =
        "{\"model\": \"m\", \"layers\": [{\"in\": 3, \"out\": 2, \"activation\": \""
            + activation
            + "\"}], \"loss\": \""
            + loss
            + "\", \"class_weights\": "
            + weights
            + "}";
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelFile.parse(file));
    assertEquals(expected, e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "\"optimizer\": {\"type\": \"rmsprop\", \"learning_rate\": 0.01, \"momentum\": 0.5,"
            + " \"centered\": true, \"weight_decay\": 0.001}, \"minibatch\": 2",
        "\"optimizer\": {\"type\": \"adagrad\", \"learning_rate\": 0.1, \"lr_decay\": 0.01,"
            + " \"initial_accumulator_value\": 0.2}",
        "\"optimizer\": {\"type\": \"adamw\", \"learning_rate\": 0.01}, \"lr_schedule\": {\"type\":"
            + " \"cosine_warm_restarts\", \"t_0\": 3, \"t_mult\": 2}, \"class_weights\": [1, 0.5,"
            + " 2]",
      })
  void shouldResumeFromItsExportExactly(String fields) throws Exception {
    Learner original = Learner.create(parse(fields), StatsSettings.DEFAULT);
    train(original, 0, 12); // a whole number of minibatches: the file keeps no partial one
    String export = original.modelFile();
    Learner warm = Learner.create(ModelFile.parse(export), StatsSettings.DEFAULT);
    assertEquals(export, warm.modelFile(), "the export reads back to the same file");
    train(original, 12, 30);
    train(warm, 12, 30);
    assertEquals(original.modelFile(), warm.modelFile());
    JsonNode state = new ObjectMapper().readTree(export).get("optimizer_state");
    assertNotNull(state.get("second"), "every adaptive optimizer keeps its squares");
    assertEquals(fields.contains("centered"), state.has("third"), "RMSprop's mean gradient");
  }

  @Test
  void shouldCountScheduleAndClassWeightsAsPartOfTheSpec() {
    String schedule = "\"lr_schedule\": {\"type\": \"step\", \"step_size\": 5}";
    assertNull(
        ModelFile.difference(parse(schedule), parse(schedule.replace("5}", "5, \"gamma\": 0.1}"))),
        "a default written out is the same spec");
    assertEquals(
        "lr_schedule.gamma",
        ModelFile.difference(parse(schedule), parse(schedule.replace("5}", "5, \"gamma\": 0.5}"))));
    assertEquals(
        "class_weights[1]",
        ModelFile.difference(
            parse("\"class_weights\": [1, 2, 3]"), parse("\"class_weights\": [1, 2.5, 3]")));
    assertEquals("lr_schedule", ModelFile.difference(parse(""), parse(schedule)));
  }

  @Test
  void shouldKeepScheduleAndClassWeightsAcrossTheCheckpoint() {
    ModelSpec spec =
        parse(
            "\"lr_schedule\": {\"type\": \"inverse_time\", \"decay\": 0.1, \"power\": 1},"
                + " \"class_weights\": [0, 1, 2]");
    Learner restored =
        LearnerCodec.decode(LearnerCodec.encode(Learner.create(spec, StatsSettings.DEFAULT)));
    assertEquals(new LrSchedule.InverseTime(0.1, 1.0), restored.spec().lrSchedule());
    assertArrayEquals(new double[] {0, 1, 2}, restored.spec().classWeights().values(), 0.0);
  }

  private static void train(Learner learner, int from, int to) {
    for (int i = from; i < to; i++) {
      double[] x = {Math.sin(i), Math.cos(1.3 * i), (i % 4) - 1.5};
      learner.learn(new Sample("s" + i, x, new double[] {i % 3}, 0, 0.5 + (i % 3)));
    }
  }
}
