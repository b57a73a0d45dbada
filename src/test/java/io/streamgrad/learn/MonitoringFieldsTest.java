package io.streamgrad.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamgrad.learn.drift.AdwinSettings;
import io.streamgrad.learn.drift.DivergenceSettings;
import io.streamgrad.learn.drift.Monitoring;
import io.streamgrad.learn.drift.OnDrift;
import io.streamgrad.learn.drift.PageHinkleySettings;
import org.junit.jupiter.api.Test;

/** The model file's drift, on_drift and divergence fields. */
class MonitoringFieldsTest {
  static final String BASE =
      """
      {"model": "m", "layers": [{"in": 2, "out": 1, "activation": "identity"}], "loss": "l2"%s}
      """;

  static ModelSpec parse(String extra) {
    return ModelFile.parse(BASE.formatted(extra));
  }

  static String error(String extra) {
    return assertThrows(IllegalArgumentException.class, () -> parse(extra)).getMessage();
  }

  @Test
  void shouldWatchNothingWhenTheFileSaysNothing() {
    assertEquals(Monitoring.DEFAULT, parse("").monitoring());
    assertNull(Monitoring.DEFAULT.drift());
    assertNull(Monitoring.DEFAULT.divergence());
  }

  @Test
  void shouldFillTheDocumentedDefaults() {
    Monitoring adwin =
        parse(", \"drift\": {\"detector\": \"adwin\"}, \"divergence\": {}").monitoring();
    assertEquals(new AdwinSettings(0.002, 32, 5, 5), adwin.drift());
    assertEquals(OnDrift.NONE, adwin.onDrift());
    assertEquals(
        new DivergenceSettings(100, 10.0, Double.POSITIVE_INFINITY, false, 0.5),
        adwin.divergence());
    Monitoring ph =
        parse(", \"drift\": {\"detector\": \"page_hinkley\"}, \"on_drift\": \"reset_model\"")
            .monitoring();
    assertEquals(new PageHinkleySettings(30, 0.005, 50.0, 0.9999), ph.drift());
    assertEquals(OnDrift.RESET_MODEL, ph.onDrift());
    assertEquals(
        DivergenceSettings.DEFAULT, parse(", \"divergence\": true").monitoring().divergence());
    assertNull(parse(", \"divergence\": false").monitoring().divergence());
  }

  @Test
  void shouldWriteWhatItReadsAndNothingWhenUnset() {
    String extra =
        ", \"drift\": {\"detector\": \"adwin\", \"delta\": 0.01, \"clock\": 8}, \"on_drift\":"
            + " \"reset_optimizer\", \"divergence\": {\"window\": 20, \"output_limit\": 1e6,"
            + " \"on_divergence\": \"scale_learning_rate\", \"learning_rate_factor\": 0.25}";
    ModelSpec spec = parse(extra);
    ModelSpec again = ModelFile.parse(ModelFile.toJson(ModelFile.specNode(spec)));
    assertEquals(spec.monitoring(), again.monitoring());
    assertNull(ModelFile.difference(spec, again));
    assertEquals(
        "on_drift", ModelFile.difference(spec, parse(extra.replace("reset_optimizer", "none"))));
    String plain = ModelFile.toJson(ModelFile.specNode(parse("")));
    assertEquals(-1, plain.indexOf("drift"), plain);
    assertEquals(-1, plain.indexOf("divergence"), plain);
  }

  @Test
  void shouldNameTheFieldThatIsWrong() {
    assertEquals(
        "drift.detector: unknown 'adwn'; accepted: adwin, page_hinkley",
        error(", \"drift\": {\"detector\": \"adwn\"}"));
    assertEquals(
        "drift.detector: missing, expected \"adwin\" or \"page_hinkley\"",
        error(", \"drift\": {\"delta\": 0.1}"));
    assertEquals(
        "drift.threshold: not a parameter of adwin (it is one of page_hinkley's); accepted:"
            + " detector, delta, clock, max_buckets, min_window",
        error(", \"drift\": {\"detector\": \"adwin\", \"threshold\": 3}"));
    assertEquals(
        "drift.delta must lie in (0.0, 1.0], got 2.0",
        error(", \"drift\": {\"detector\": \"adwin\", \"delta\": 2}"));
    assertEquals(
        "drift.clock: expected a 32-bit integer, got 1.5",
        error(", \"drift\": {\"detector\": \"adwin\", \"clock\": 1.5}"));
    assertEquals(
        "on_drift: 'reset_model' needs a \"drift\" detector to react to",
        error(", \"on_drift\": \"reset_model\""));
    assertEquals(
        "on_drift: unknown 'restart'; accepted: none, reset_optimizer, reset_model",
        error(", \"drift\": {\"detector\": \"adwin\"}, \"on_drift\": \"restart\""));
    assertEquals(
        "divergence.on_divergence: unknown 'halve'; accepted: none, scale_learning_rate",
        error(", \"divergence\": {\"on_divergence\": \"halve\"}"));
    assertEquals(
        "divergence.learning_rate_factor must lie in (0, 1], got 2.0",
        error(", \"divergence\": {\"learning_rate_factor\": 2}"));
  }

  @Test
  void shouldSuggestTheFieldThatWasMeant() {
    String message = error(", \"drift\": {\"detector\": \"page_hinkley\", \"treshold\": 3}");
    assertEquals(true, message.startsWith("drift.treshold: unknown field"), message);
    assertEquals(true, message.contains("threshold"), message);
    String top = error(", \"on_drfit\": \"none\"");
    assertEquals(true, top.contains("on_drift"), top);
    String divergence = error(", \"divergence\": {\"loss_factr\": 3}");
    assertEquals(true, divergence.contains("loss_factor"), divergence);
  }
}
