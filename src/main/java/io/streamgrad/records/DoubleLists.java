package io.streamgrad.records;

import java.util.Arrays;
import java.util.List;

/**
 * Between the learner's {@code double[]} and the {@code List<Double>} of generated Avro records.
 */
final class DoubleLists {
  private DoubleLists() {}

  static List<Double> toList(double[] values) {
    Double[] boxed = new Double[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return Arrays.asList(boxed);
  }

  static double[] toArray(List<Double> values) {
    double[] array = new double[values.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = values.get(i);
    }
    return array;
  }
}
