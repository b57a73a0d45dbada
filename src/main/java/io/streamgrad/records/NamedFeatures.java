package io.streamgrad.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgrad.learn.ReasonCode;
import io.streamgrad.learn.RejectedException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named features ({@code "features": {"amount": 120.5, "country": "FR"}}) between their wire forms
 * and the map a {@link io.streamgrad.learn.Sample} carries: values are Double, String, Boolean or
 * null, whatever the form (JSON, Avro, a CSV cell), so that the stream and replay encode the same
 * values the same way.
 */
public final class NamedFeatures {
  private NamedFeatures() {}

  /**
   * @throws RejectedException with MALFORMED_JSON for a value that is an array or an object
   */
  static Map<String, Object> fromJson(JsonNode object) {
    Map<String, Object> named = new LinkedHashMap<>(2 * object.size());
    for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = field.getValue();
      Object v;
      if (value.isNumber()) {
        v = value.doubleValue();
      } else if (value.isTextual()) {
        v = value.asText();
      } else if (value.isBoolean()) {
        v = value.booleanValue();
      } else if (value.isNull()) {
        v = null;
      } else {
        throw new RejectedException(
            ReasonCode.MALFORMED_JSON,
            "features." + field.getKey() + " must be a number, a string, a boolean or null");
      }
      named.put(field.getKey(), v);
    }
    return named;
  }

  static void toJson(Map<String, Object> named, ObjectNode into) {
    for (Map.Entry<String, Object> field : named.entrySet()) {
      Object v = field.getValue();
      if (v == null) {
        into.putNull(field.getKey());
      } else if (v instanceof Number n) {
        into.put(field.getKey(), n.doubleValue());
      } else if (v instanceof Boolean b) {
        into.put(field.getKey(), b);
      } else {
        into.put(field.getKey(), v.toString());
      }
    }
  }

  /**
   * A CSV cell as a named value: empty is missing (null), a number is a Double, {@code true} and
   * {@code false} are booleans, anything else a string. A cell cannot say "this is a string", so a
   * categorical input takes numbers as their digits ({@code "3"}).
   */
  public static Object fromCsvCell(String cell) {
    String text = cell.trim();
    if (text.isEmpty()) {
      return null;
    }
    if (text.equals("true") || text.equals("false")) {
      return Boolean.valueOf(text);
    }
    char c = text.charAt(0);
    if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.') {
      try {
        return Double.parseDouble(text);
      } catch (NumberFormatException e) {
        return text;
      }
    }
    return text;
  }
}
