package io.streamgrad.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named-input twin of {@link ModelFile#sketch}: the same network with one numeric input per
 * feature, named x0, x1, …, standard-scaled, and samples naming them. For benchmarks that compare
 * named JSON samples with the array form on the same network.
 */
final class NamedSketch {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NamedSketch() {}

  /** The model file of {@code ModelFile.sketch(model, size)} with named, scaled inputs. */
  static String spec(String model, String size) {
    try {
      ObjectNode root = (ObjectNode) JSON.readTree(ModelFile.sketch(model, size));
      int inputs = Integer.parseInt(size.substring(0, size.indexOf('-')));
      ArrayNode list = root.putArray("inputs");
      for (int i = 0; i < inputs; i++) {
        list.addObject().put("name", "x" + i).put("type", "numeric").put("scale", "standard");
      }
      return ModelFile.toJson(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sample with its features named x0, x1, … in their order. */
  static Sample named(Sample sample) {
    Map<String, Object> named = new LinkedHashMap<>();
    double[] x = sample.features();
    for (int i = 0; i < x.length; i++) {
      named.put("x" + i, x[i]);
    }
    return Sample.named(sample.id(), named, sample.label(), sample.eventTime(), sample.weight());
  }
}
