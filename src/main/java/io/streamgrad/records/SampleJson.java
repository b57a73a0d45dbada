package io.streamgrad.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgrad.learn.ReasonCode;
import io.streamgrad.learn.RejectedException;
import io.streamgrad.learn.Sample;

/**
 * The JSON form of a sample (docs/topics.md): {@code {"id": "s-17", "features": [..], "label": 2}},
 * label a number, an array, or absent/null for a sample only to be predicted; an optional {@code
 * "weight"} (absent or null: 1). {@code "features"} may also be an object of named values (numbers,
 * strings, booleans, null) for a model with {@code inputs}. This is the tree path, which reads the
 * whole JSON language and words every error; {@link SampleJsonReader} reads the usual form faster
 * and hands the rest here.
 */
public final class SampleJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SampleJson() {}

  /**
   * @throws RejectedException with MALFORMED_JSON when the text is not a sample
   */
  public static Sample parse(String text) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new RejectedException(
          ReasonCode.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage());
    }
    return parse(root);
  }

  /**
   * The sample in bytes[offset, offset + length) of UTF-8: by the fast reader when it can, by the
   * tree otherwise; the same sample, or the same error, either way.
   *
   * @throws RejectedException with MALFORMED_JSON when the text is not a sample, BAD_WEIGHT for a
   *     weight that is negative or not finite
   */
  static Sample parse(SampleJsonReader fast, byte[] bytes, int offset, int length) {
    Sample sample = fast.read(bytes, offset, length);
    if (sample == null) {
      return parse(new String(bytes, offset, length, java.nio.charset.StandardCharsets.UTF_8));
    }
    return checkWeight(sample);
  }

  /**
   * A weight scales the sample's gradient: a negative one would climb the loss, a NaN would poison
   * the weights, so both are refused where the record is read, before any model sees it.
   *
   * @throws RejectedException with BAD_WEIGHT
   */
  public static Sample checkWeight(Sample sample) {
    double weight = sample.weight();
    if (!(weight >= 0) || weight == Double.POSITIVE_INFINITY) {
      throw new RejectedException(
          ReasonCode.BAD_WEIGHT,
          "sample '"
              + sample.id()
              + "': weight is "
              + weight
              + "; a weight is a finite number, 0 or more (absent: 1)");
    }
    return sample;
  }

  /**
   * A sample from an already parsed JSON value (e.g. one element of an array).
   *
   * @throws RejectedException with MALFORMED_JSON when the value is not a sample, BAD_WEIGHT for a
   *     weight that is negative or not finite
   */
  public static Sample parse(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new RejectedException(ReasonCode.MALFORMED_JSON, "a sample is a JSON object");
    }
    JsonNode features = root.get("features");
    if (features == null || !(features.isArray() || features.isObject())) {
      throw new RejectedException(
          ReasonCode.MALFORMED_JSON,
          "'features' must be an array of numbers or an object of named values");
    }
    double[] x = null;
    java.util.Map<String, Object> named = null;
    if (features.isObject()) {
      named = NamedFeatures.fromJson(features);
    } else {
      x = new double[features.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = number(features.get(i), "features[" + i + "]");
      }
    }
    JsonNode labelNode = root.get("label");
    double[] label = null;
    if (labelNode != null && !labelNode.isNull()) {
      if (labelNode.isArray()) {
        label = new double[labelNode.size()];
        for (int k = 0; k < label.length; k++) {
          label[k] = number(labelNode.get(k), "label[" + k + "]");
        }
      } else {
        label = new double[] {number(labelNode, "label")};
      }
    }
    JsonNode id = root.get("id");
    long eventTime = root.path("event_time").asLong(0);
    JsonNode weightNode = root.get("weight");
    double weight = weightNode == null || weightNode.isNull() ? 1.0 : number(weightNode, "weight");
    return checkWeight(
        new Sample(
            id == null || id.isNull() ? "" : id.asText(), x, label, eventTime, weight, named));
  }

  /**
   * Numbers, and the strings "NaN", "Infinity", "-Infinity" (rejected later, with their own
   * reason): the same for samples and labels.
   */
  static double number(JsonNode node, String where) {
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isTextual()) {
      switch (node.asText()) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
    }
    throw new RejectedException(ReasonCode.MALFORMED_JSON, where + " is not a number: " + node);
  }
}
