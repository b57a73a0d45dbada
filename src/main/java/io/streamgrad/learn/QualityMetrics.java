package io.streamgrad.learn;

import io.streamgrad.nn.Architecture;

/**
 * The quality metrics of one model, kept beside its running loss by {@link RunningStats}: what a
 * labelled sample's outputs and target add (constant time, O(outputs)), and the metrics over all
 * time and over the recent window, the window's computed only when asked (at report time). Which
 * metrics a model gets follows its loss: l2 and l1 are regressions, softmax_ce a classifier over
 * its outputs, bce and hinge binary classifiers, one per output.
 */
abstract class QualityMetrics {
  /** For {@link StatsSettings#metrics()} off: keeps nothing, reports nothing. */
  static final QualityMetrics OFF =
      new QualityMetrics() {
        @Override
        void record(double[] outputs, double[] target) {}

        @Override
        MetricValues allTime() {
          return MetricValues.NONE;
        }

        @Override
        MetricValues window() {
          return MetricValues.NONE;
        }

        @Override
        void writeTo(StateWriter out) {}

        @Override
        void readFrom(StateReader in) {}
      };

  static QualityMetrics of(Architecture architecture, int window) {
    int outputs = architecture.outputs();
    return switch (architecture.loss()) {
      case L2, L1 -> new RegressionMetrics(outputs, window);
      case SOFTMAX_CE -> new ClassificationMetrics(outputs, window);
      case BCE -> new BinaryMetrics(outputs, window, BinaryMetrics.Scores.PROBABILITIES);
      case HINGE -> new BinaryMetrics(outputs, window, BinaryMetrics.Scores.MARGINS);
    };
  }

  /** One labelled sample whose loss was finite: the outputs served for it, and its target. */
  abstract void record(double[] outputs, double[] target);

  abstract MetricValues allTime();

  abstract MetricValues window();

  /** The whole state, restored bit for bit by {@link #readFrom} on metrics of the same shape. */
  abstract void writeTo(StateWriter out);

  abstract void readFrom(StateReader in);

  /** Fails on a state written for another shape: its section belongs to another model. */
  static void expect(String what, int expected, int actual) {
    if (expected != actual) {
      throw new IllegalArgumentException(
          "learner state: the metrics hold " + actual + " " + what + ", the model has " + expected);
    }
  }

  /** Reads doubles written by {@link StateWriter#putDoubles} into an array of the same length. */
  static void readInto(StateReader in, double[] into) {
    double[] values = in.getDoubles(into.length);
    if (values == null) {
      throw new IllegalArgumentException("learner state: a metrics array is missing");
    }
    System.arraycopy(values, 0, into, 0, into.length);
  }

  static void writeLongs(StateWriter out, long[] values) {
    out.putInt(values.length);
    for (long value : values) {
      out.putLong(value);
    }
  }

  static void readInto(StateReader in, long[] into) {
    expect("counts", into.length, in.getInt());
    for (int i = 0; i < into.length; i++) {
      into[i] = in.getLong();
    }
  }

  static void writeInts(StateWriter out, int[] values) {
    out.putInt(values.length);
    for (int value : values) {
      out.putInt(value);
    }
  }

  static void readInto(StateReader in, int[] into) {
    expect("slots", into.length, in.getInt());
    for (int i = 0; i < into.length; i++) {
      into[i] = in.getInt();
    }
  }
}
