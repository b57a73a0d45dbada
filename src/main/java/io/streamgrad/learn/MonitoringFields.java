package io.streamgrad.learn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgrad.learn.drift.AdwinSettings;
import io.streamgrad.learn.drift.DivergenceSettings;
import io.streamgrad.learn.drift.DriftSettings;
import io.streamgrad.learn.drift.Monitoring;
import io.streamgrad.learn.drift.OnDrift;
import io.streamgrad.learn.drift.PageHinkleySettings;
import java.util.Iterator;
import java.util.List;

/**
 * The model file's {@code drift}, {@code on_drift} and {@code divergence} fields, read and written
 * for {@link ModelFile}, with the same rules: an unknown field is an error naming the nearest known
 * one, a value of the wrong type an error naming the field.
 */
final class MonitoringFields {
  static final List<String> FIELDS = List.of("drift", "on_drift", "divergence");

  private static final List<String> ADWIN_FIELDS =
      List.of("detector", "delta", "clock", "max_buckets", "min_window");
  private static final List<String> PAGE_HINKLEY_FIELDS =
      List.of("detector", "min_instances", "delta", "threshold", "alpha");
  private static final List<String> DIVERGENCE_FIELDS =
      List.of("window", "loss_factor", "output_limit", "on_divergence", "learning_rate_factor");

  private MonitoringFields() {}

  static Monitoring parse(JsonNode root) {
    DriftSettings drift = drift(present(root, "drift"));
    OnDrift onDrift = OnDrift.NONE;
    JsonNode reaction = present(root, "on_drift");
    if (reaction != null) {
      onDrift = OnDrift.fromFileName(text(reaction, "on_drift"));
    }
    return new Monitoring(drift, onDrift, divergence(present(root, "divergence")));
  }

  private static DriftSettings drift(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          "drift: expected an object {\"detector\": \"adwin\" | \"page_hinkley\", ...}, got "
              + node);
    }
    JsonNode detector = present(node, "detector");
    if (detector == null) {
      throw new IllegalArgumentException(
          "drift.detector: missing, expected \"adwin\" or \"page_hinkley\"");
    }
    String type = text(detector, "drift.detector");
    switch (type) {
      case "adwin" -> {
        onlyKnown(node, ADWIN_FIELDS, PAGE_HINKLEY_FIELDS, "adwin", "page_hinkley");
        AdwinSettings d = AdwinSettings.DEFAULT;
        return new AdwinSettings(
            number(node, "delta", d.delta()),
            integer(node, "clock", d.clock()),
            integer(node, "max_buckets", d.maxBuckets()),
            integer(node, "min_window", d.minWindow()));
      }
      case "page_hinkley" -> {
        onlyKnown(node, PAGE_HINKLEY_FIELDS, ADWIN_FIELDS, "page_hinkley", "adwin");
        PageHinkleySettings d = PageHinkleySettings.DEFAULT;
        return new PageHinkleySettings(
            integer(node, "min_instances", d.minInstances()),
            number(node, "delta", d.delta()),
            number(node, "threshold", d.threshold()),
            number(node, "alpha", d.alpha()));
      }
      default ->
          throw new IllegalArgumentException(
              "drift.detector: unknown '" + type + "'; accepted: adwin, page_hinkley");
    }
  }

  private static DivergenceSettings divergence(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isBoolean()) {
      return node.booleanValue() ? DivergenceSettings.DEFAULT : null;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          "divergence: expected an object {window, loss_factor, ...} (or true for the defaults,"
              + " false for none), got "
              + node);
    }
    onlyKnown(node, DIVERGENCE_FIELDS, List.of(), "", "");
    DivergenceSettings d = DivergenceSettings.DEFAULT;
    JsonNode reaction = present(node, "on_divergence");
    boolean scale = false;
    if (reaction != null) {
      String name = text(reaction, "divergence.on_divergence");
      scale =
          switch (name) {
            case "none" -> false;
            case "scale_learning_rate" -> true;
            default ->
                throw new IllegalArgumentException(
                    "divergence.on_divergence: unknown '"
                        + name
                        + "'; accepted: none, scale_learning_rate");
          };
    }
    return new DivergenceSettings(
        integer(node, "window", d.window(), "divergence."),
        number(node, "loss_factor", d.lossFactor(), "divergence."),
        number(node, "output_limit", d.outputLimit(), "divergence."),
        scale,
        number(node, "learning_rate_factor", d.learningRateFactor(), "divergence."));
  }

  /** Writes what is set, so that a model file without these fields stays as it was. */
  static void write(ObjectNode root, Monitoring monitoring) {
    DriftSettings drift = monitoring.drift();
    if (drift instanceof AdwinSettings a) {
      root.putObject("drift")
          .put("detector", a.detector())
          .put("delta", a.delta())
          .put("clock", a.clock())
          .put("max_buckets", a.maxBuckets())
          .put("min_window", a.minWindow());
    } else if (drift instanceof PageHinkleySettings p) {
      root.putObject("drift")
          .put("detector", p.detector())
          .put("min_instances", p.minInstances())
          .put("delta", p.delta())
          .put("threshold", p.threshold())
          .put("alpha", p.alpha());
    }
    if (monitoring.onDrift() != OnDrift.NONE) {
      root.put("on_drift", monitoring.onDrift().fileName());
    }
    DivergenceSettings divergence = monitoring.divergence();
    if (divergence != null) {
      ObjectNode node =
          root.putObject("divergence")
              .put("window", divergence.window())
              .put("loss_factor", divergence.lossFactor());
      if (divergence.outputLimit() != Double.POSITIVE_INFINITY) {
        node.put("output_limit", divergence.outputLimit());
      }
      node.put("on_divergence", divergence.scaleLearningRate() ? "scale_learning_rate" : "none")
          .put("learning_rate_factor", divergence.learningRateFactor());
    }
  }

  private static void onlyKnown(
      JsonNode node, List<String> known, List<String> other, String type, String otherType) {
    String where = type.isEmpty() ? "divergence." : "drift.";
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (known.contains(name)) {
        continue;
      }
      if (other.contains(name)) {
        throw new IllegalArgumentException(
            where
                + name
                + ": not a parameter of "
                + type
                + " (it is one of "
                + otherType
                + "'s); accepted: "
                + String.join(", ", known));
      }
      String hint = NearestName.suggestion(name, known);
      throw new IllegalArgumentException(
          where
              + name
              + ": unknown field"
              + (hint.isEmpty() ? "; accepted: " + String.join(", ", known) : hint));
    }
  }

  private static JsonNode present(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value;
  }

  private static String text(JsonNode value, String where) {
    if (!value.isTextual()) {
      throw new IllegalArgumentException(where + ": expected a string, got " + value);
    }
    return value.asText();
  }

  private static double number(JsonNode node, String field, double fallback) {
    return number(node, field, fallback, "drift.");
  }

  private static double number(JsonNode node, String field, double fallback, String where) {
    JsonNode value = present(node, field);
    if (value == null) {
      return fallback;
    }
    if (!value.isNumber()) {
      throw new IllegalArgumentException(where + field + ": expected a number, got " + value);
    }
    return value.doubleValue();
  }

  private static int integer(JsonNode node, String field, int fallback) {
    return integer(node, field, fallback, "drift.");
  }

  private static int integer(JsonNode node, String field, int fallback, String where) {
    JsonNode value = present(node, field);
    if (value == null) {
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new IllegalArgumentException(
          where + field + ": expected a 32-bit integer, got " + value);
    }
    return value.asInt();
  }
}
