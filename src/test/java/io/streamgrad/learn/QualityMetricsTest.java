package io.streamgrad.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.nn.Activation;
import io.streamgrad.nn.Architecture;
import io.streamgrad.nn.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every metric against a direct computation: small cases worked by hand, and long random streams
 * recomputed in the most straightforward way from the samples themselves (all of them, or the last
 * window of them in arrival order).
 */
class QualityMetricsTest {
  private static final double TIGHT = 1e-12;

  // ---- hand-computed cases ----

  @Test
  void shouldComputeRegressionMetricsOfOneOutputByHand() {
    RegressionMetrics m = new RegressionMetrics(1, 3);
    record(m, new double[] {2}, new double[] {1});
    record(m, new double[] {0}, new double[] {1});
    record(m, new double[] {3}, new double[] {3});
    record(m, new double[] {1}, new double[] {5});
    // errors 1, −1, 0, −4; targets 1, 1, 3, 5 (mean 2.5, SS_tot 11, SS_res 18)
    MetricValues all = m.allTime();
    assertEquals(1.5, all.mae(), TIGHT);
    assertEquals(Math.sqrt(4.5), all.rmse(), TIGHT);
    assertEquals(1 - 18.0 / 11, all.r2(), TIGHT);
    assertTrue(Double.isNaN(all.accuracy()));
    // the last three: errors −1, 0, −4; targets 1, 3, 5 (mean 3, SS_tot 8, SS_res 17)
    MetricValues window = m.window();
    assertEquals(5.0 / 3, window.mae(), TIGHT);
    assertEquals(Math.sqrt(17.0 / 3), window.rmse(), TIGHT);
    assertEquals(1 - 17.0 / 8, window.r2(), TIGHT);
  }

  @Test
  void shouldAverageRegressionMetricsOverOutputs() {
    RegressionMetrics m = new RegressionMetrics(2, 10);
    record(m, new double[] {1, 10}, new double[] {0, 10});
    record(m, new double[] {2, 12}, new double[] {2, 14});
    // output 0: errors 1, 0 → MAE 0.5, RMSE √0.5, R² 1 − 1/2; output 1: errors 0, −2 → MAE 1,
    // RMSE √2, R² 1 − 4/8
    MetricValues all = m.allTime();
    assertEquals(0.75, all.mae(), TIGHT);
    assertEquals((Math.sqrt(0.5) + Math.sqrt(2)) / 2, all.rmse(), TIGHT);
    assertEquals(0.5, all.r2(), TIGHT);
    assertEquals(all, m.window());
  }

  @Test
  void shouldGiveRSquaredOfAConstantTargetAsScikitLearnDoes() {
    RegressionMetrics exact = new RegressionMetrics(1, 4);
    record(exact, new double[] {2}, new double[] {2});
    assertTrue(Double.isNaN(exact.allTime().r2()), "R² needs two samples");
    record(exact, new double[] {2}, new double[] {2});
    assertEquals(1.0, exact.allTime().r2());
    RegressionMetrics off = new RegressionMetrics(1, 4);
    record(off, new double[] {1}, new double[] {2});
    record(off, new double[] {3}, new double[] {2});
    assertEquals(0.0, off.allTime().r2());
    assertEquals(0.0, off.window().r2());
  }

  @Test
  void shouldComputeClassificationMetricsByHand() {
    ClassificationMetrics m = new ClassificationMetrics(3, 2);
    record(m, new double[] {0.7, 0.2, 0.1}, new double[] {0}); // right
    record(m, new double[] {0.1, 0.6, 0.3}, new double[] {2}); // decides 1
    record(m, new double[] {0.2, 0.3, 0.5}, new double[] {2}); // right
    record(m, new double[] {0.5, 0.4, 0.1}, new double[] {1}); // decides 0
    MetricValues all = m.allTime();
    assertEquals(0.5, all.accuracy(), TIGHT);
    assertEquals(
        -(Math.log(0.7) + Math.log(0.3) + Math.log(0.5) + Math.log(0.4)) / 4, all.logLoss(), TIGHT);
    // F1: class 0 2·1/(2·1+1+0) = 2/3, class 1 0, class 2 2·1/(2·1+0+1) = 2/3
    assertEquals(4.0 / 9, all.macroF1(), TIGHT);
    assertTrue(Double.isNaN(all.mae()));
    assertTrue(Double.isNaN(all.rocAuc()));
    // the last two: one right (class 2), one wrong (label 1, decided 0); class 0 and 1 F1 0,
    // class 2 F1 1
    MetricValues window = m.window();
    assertEquals(0.5, window.accuracy(), TIGHT);
    assertEquals(-(Math.log(0.5) + Math.log(0.4)) / 2, window.logLoss(), TIGHT);
    assertEquals(1.0 / 3, window.macroF1(), TIGHT);
  }

  @Test
  void shouldLeaveClassesThatNeverOccurOutOfTheMacroF1() {
    ClassificationMetrics m = new ClassificationMetrics(4, 5);
    record(m, new double[] {0.6, 0.2, 0.1, 0.1}, new double[] {0});
    record(m, new double[] {0.1, 0.7, 0.1, 0.1}, new double[] {1});
    assertEquals(1.0, m.allTime().macroF1(), "classes 2 and 3 are neither labels nor decisions");
  }

  @Test
  void shouldClipProbabilitiesAsScikitLearnDoes() {
    assertEquals(2.220446049250313e-16, LogLoss.EPS);
    ClassificationMetrics m = new ClassificationMetrics(2, 5);
    record(m, new double[] {1.0, 0.0}, new double[] {1});
    assertEquals(-Math.log(2.220446049250313e-16), m.allTime().logLoss(), TIGHT);
    assertEquals(36.04365338911715, m.allTime().logLoss(), 1e-12);
    BinaryMetrics b = new BinaryMetrics(1, 5, BinaryMetrics.Scores.PROBABILITIES);
    record(b, new double[] {1.0}, new double[] {1});
    assertEquals(-Math.log(1 - 2.220446049250313e-16), b.allTime().logLoss(), 1e-30);
  }

  @Test
  void shouldComputeBinaryMetricsOfABceOutputByHand() {
    BinaryMetrics m = new BinaryMetrics(1, 10, BinaryMetrics.Scores.PROBABILITIES);
    double[][] cases = {{0.9, 1}, {0.4, 1}, {0.6, 0}, {0.2, 0}, {0.6, 1}};
    for (double[] c : cases) {
      record(m, new double[] {c[0]}, new double[] {c[1]});
    }
    // TP 2, FN 1, FP 1, TN 1
    MetricValues all = m.allTime();
    assertEquals(0.6, all.accuracy(), TIGHT);
    assertEquals((2.0 / 3 + 0.5) / 2, all.macroF1(), TIGHT);
    double logLoss =
        -(Math.log(0.9) + Math.log(0.4) + Math.log(0.4) + Math.log(0.8) + Math.log(0.6)) / 5;
    assertEquals(logLoss, all.logLoss(), TIGHT);
    assertTrue(Double.isNaN(all.rocAuc()), "ROC AUC is a window metric");
    // positives score 0.9, 0.4, 0.6; negatives 0.6, 0.2: 2 + 1 + 1.5 of 6 pairs
    MetricValues window = m.window();
    assertEquals(0.75, window.rocAuc(), TIGHT);
    assertEquals(all.accuracy(), window.accuracy(), TIGHT);
    assertEquals(all.logLoss(), window.logLoss(), TIGHT);
    assertEquals(all.macroF1(), window.macroF1(), TIGHT);
  }

  @Test
  void shouldTakeTheCrossEntropyOfASoftBceLabel() {
    BinaryMetrics m = new BinaryMetrics(1, 10, BinaryMetrics.Scores.PROBABILITIES);
    record(m, new double[] {0.6}, new double[] {0.3});
    assertEquals(-(0.3 * Math.log(0.6) + 0.7 * Math.log(0.4)), m.allTime().logLoss(), TIGHT);
    assertEquals(0.0, m.allTime().accuracy(), "label 0.3 is negative, 0.6 decides positive");
  }

  @Test
  void shouldComputeHingeMetricsFromMarginsWithoutLogLoss() {
    BinaryMetrics m = new BinaryMetrics(1, 10, BinaryMetrics.Scores.MARGINS);
    record(m, new double[] {1.5}, new double[] {1});
    record(m, new double[] {-0.2}, new double[] {1});
    record(m, new double[] {0.0}, new double[] {-1});
    record(m, new double[] {-2.0}, new double[] {-1});
    // decisions +, −, +, −: TP 1, FN 1, FP 1, TN 1
    MetricValues window = m.window();
    assertEquals(0.5, window.accuracy(), TIGHT);
    assertEquals(0.5, window.macroF1(), TIGHT);
    assertTrue(Double.isNaN(window.logLoss()), "margins are not probabilities");
    // positives 1.5, −0.2; negatives 0.0, −2.0: 2 + 1 of 4 pairs
    assertEquals(0.75, window.rocAuc(), TIGHT);
  }

  @Test
  void shouldTreatEachBceOutputAsItsOwnBinaryProblem() {
    BinaryMetrics m = new BinaryMetrics(2, 10, BinaryMetrics.Scores.PROBABILITIES);
    record(m, new double[] {0.8, 0.3}, new double[] {1, 0});
    record(m, new double[] {0.4, 0.7}, new double[] {1, 1});
    record(m, new double[] {0.6, 0.1}, new double[] {0, 0});
    // output 0: decisions 1 0 1 for labels 1 1 0 (F1 0.5); output 1: all right (F1 1)
    MetricValues all = m.allTime();
    assertEquals(4.0 / 6, all.accuracy(), TIGHT);
    assertEquals(0.75, all.macroF1(), TIGHT);
    double sum =
        Math.log(0.8)
            + Math.log(0.4)
            + Math.log(0.4)
            + Math.log(0.7)
            + Math.log(0.7)
            + Math.log(0.9);
    assertEquals(-sum / 6, all.logLoss(), TIGHT);
    assertTrue(Double.isNaN(m.window().rocAuc()), "ROC AUC is for one output");
  }

  @Test
  void shouldHaveNoRocAucWithoutBothClassesInTheWindow() {
    BinaryMetrics m = new BinaryMetrics(1, 2, BinaryMetrics.Scores.PROBABILITIES);
    record(m, new double[] {0.3}, new double[] {0});
    record(m, new double[] {0.9}, new double[] {1});
    assertEquals(1.0, m.window().rocAuc());
    record(m, new double[] {0.2}, new double[] {1});
    record(m, new double[] {0.7}, new double[] {1});
    assertTrue(Double.isNaN(m.window().rocAuc()), "only positives in the window");
  }

  @Test
  void shouldReportNothingBeforeTheFirstSample() {
    for (QualityMetrics m :
        List.of(
            new RegressionMetrics(1, 3),
            new ClassificationMetrics(3, 3),
            new BinaryMetrics(1, 3, BinaryMetrics.Scores.MARGINS))) {
      assertEquals(MetricValues.NONE, m.allTime());
      assertEquals(MetricValues.NONE, m.window());
    }
  }

  // ---- random streams against a direct recomputation ----

  @Test
  void shouldMatchADirectRecomputationOfRegressionMetrics() {
    SplittableRandom random = new SplittableRandom(11);
    int outputs = 3;
    int window = 37;
    RegressionMetrics m = new RegressionMetrics(outputs, window);
    List<double[][]> seen = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      double[] y = new double[outputs];
      double[] yHat = new double[outputs];
      for (int k = 0; k < outputs; k++) {
        y[k] = 100 * k + random.nextGaussian() * (k + 1);
        yHat[k] = y[k] + random.nextGaussian();
      }
      record(m, yHat, y);
      seen.add(new double[][] {yHat, y});
      if (i % 41 == 0 || i == 499) {
        assertClose(regression(seen, outputs), m.allTime());
        assertClose(regression(last(seen, window), outputs), m.window());
      }
    }
  }

  @Test
  void shouldMatchADirectRecomputationOfClassificationMetrics() {
    SplittableRandom random = new SplittableRandom(12);
    int classes = 5;
    int window = 29;
    ClassificationMetrics m = new ClassificationMetrics(classes, window);
    List<double[][]> seen = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      double[] p = new double[classes];
      double sum = 0;
      for (int k = 0; k < classes; k++) {
        p[k] = random.nextDouble() < 0.05 ? 0.0 : random.nextDouble();
        sum += p[k];
      }
      for (int k = 0; k < classes; k++) {
        p[k] = sum == 0 ? 1.0 / classes : p[k] / sum;
      }
      // class 4 never labelled, so it only counts where decided
      double[] label = {random.nextInt(classes - 1)};
      record(m, p, label);
      seen.add(new double[][] {p, label});
      if (i % 37 == 0 || i == 599) {
        assertClose(classification(seen, classes), m.allTime());
        assertClose(classification(last(seen, window), classes), m.window());
      }
    }
  }

  @Test
  void shouldMatchADirectRecomputationOfBinaryMetricsWithTies() {
    for (BinaryMetrics.Scores scores : BinaryMetrics.Scores.values()) {
      for (int outputs : new int[] {1, 3}) {
        SplittableRandom random = new SplittableRandom(13 + outputs);
        int window = 53;
        BinaryMetrics m = new BinaryMetrics(outputs, window, scores);
        List<double[][]> seen = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
          double[] out = new double[outputs];
          double[] y = new double[outputs];
          for (int k = 0; k < outputs; k++) {
            boolean positive = random.nextDouble() < 0.4;
            // rounded to a tenth, so that many scores tie
            double score = Math.rint(10 * (random.nextDouble() + (positive ? 0.3 : 0))) / 10;
            if (scores == BinaryMetrics.Scores.PROBABILITIES) {
              out[k] = Math.min(1.0, score);
              y[k] = positive ? 1 : 0;
            } else {
              out[k] = 4 * score - 2;
              y[k] = positive ? 1 : -1;
            }
          }
          record(m, out, y);
          seen.add(new double[][] {out, y});
          if (i % 43 == 0 || i == 699) {
            String what = scores + " " + outputs + " output(s) at " + i;
            assertClose(binary(seen, outputs, scores, false), m.allTime(), what);
            assertClose(binary(last(seen, window), outputs, scores, true), m.window(), what);
          }
        }
      }
    }
  }

  // ---- the direct computations ----

  private static MetricValues regression(List<double[][]> samples, int outputs) {
    int n = samples.size();
    double mae = 0;
    double rmse = 0;
    double r2 = 0;
    for (int k = 0; k < outputs; k++) {
      double mean = 0;
      for (double[][] s : samples) {
        mean += s[1][k] / n;
      }
      double abs = 0;
      double res = 0;
      double tot = 0;
      for (double[][] s : samples) {
        double e = s[0][k] - s[1][k];
        abs += Math.abs(e);
        res += e * e;
        tot += (s[1][k] - mean) * (s[1][k] - mean);
      }
      mae += abs / n;
      rmse += Math.sqrt(res / n);
      r2 += 1 - res / tot;
    }
    return MetricValues.regression(
        mae / outputs, rmse / outputs, n < 2 ? Double.NaN : r2 / outputs);
  }

  private static MetricValues classification(List<double[][]> samples, int classes) {
    int n = samples.size();
    int right = 0;
    double logLoss = 0;
    int[][] confusion = new int[classes][classes]; // [label][decision]
    for (double[][] s : samples) {
      double[] p = s[0];
      int label = (int) s[1][0];
      int decision = 0;
      for (int k = 1; k < classes; k++) {
        if (p[k] > p[decision]) {
          decision = k;
        }
      }
      confusion[label][decision]++;
      right += label == decision ? 1 : 0;
      logLoss -=
          Math.log(Math.max(2.220446049250313e-16, Math.min(1 - 2.220446049250313e-16, p[label])));
    }
    double f1 = 0;
    int present = 0;
    for (int c = 0; c < classes; c++) {
      int tp = confusion[c][c];
      int labelled = 0;
      int decided = 0;
      for (int d = 0; d < classes; d++) {
        labelled += confusion[c][d];
        decided += confusion[d][c];
      }
      if (labelled + decided > 0) {
        double precision = decided == 0 ? 0 : (double) tp / decided;
        double recall = labelled == 0 ? 0 : (double) tp / labelled;
        f1 += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        present++;
      }
    }
    return MetricValues.classification((double) right / n, logLoss / n, f1 / present, Double.NaN);
  }

  private static MetricValues binary(
      List<double[][]> samples, int outputs, BinaryMetrics.Scores scores, boolean window) {
    double threshold = scores == BinaryMetrics.Scores.PROBABILITIES ? 0.5 : 0.0;
    int n = samples.size();
    int right = 0;
    double logLoss = 0;
    double f1Sum = 0;
    int present = 0;
    for (int k = 0; k < outputs; k++) {
      int tp = 0;
      int fp = 0;
      int fn = 0;
      int tn = 0;
      for (double[][] s : samples) {
        boolean decided = s[0][k] >= threshold;
        boolean positive = s[1][k] >= threshold;
        tp += decided && positive ? 1 : 0;
        fp += decided && !positive ? 1 : 0;
        fn += !decided && positive ? 1 : 0;
        tn += !decided && !positive ? 1 : 0;
        double p = Math.max(2.220446049250313e-16, Math.min(1 - 2.220446049250313e-16, s[0][k]));
        logLoss -= s[1][k] * Math.log(p) + (1 - s[1][k]) * Math.log(1 - p);
      }
      right += tp + tn;
      if (tp + fp + fn > 0) {
        f1Sum += 2.0 * tp / (2 * tp + fp + fn);
        present++;
      }
      if (outputs == 1 && tn + fp + fn > 0) {
        f1Sum += 2.0 * tn / (2 * tn + fp + fn);
        present++;
      }
    }
    double auc = Double.NaN;
    if (window && outputs == 1) {
      double pairs = 0;
      double wins = 0;
      for (double[][] a : samples) {
        for (double[][] b : samples) {
          if (a[1][0] >= threshold && b[1][0] < threshold) {
            pairs++;
            wins += a[0][0] > b[0][0] ? 1 : a[0][0] == b[0][0] ? 0.5 : 0;
          }
        }
      }
      auc = wins / pairs;
    }
    return MetricValues.classification(
        (double) right / (n * outputs),
        scores == BinaryMetrics.Scores.PROBABILITIES ? logLoss / (n * outputs) : Double.NaN,
        present == 0 ? Double.NaN : f1Sum / present,
        auc);
  }

  private static List<double[][]> last(List<double[][]> seen, int window) {
    return seen.subList(Math.max(0, seen.size() - window), seen.size());
  }

  private static void record(QualityMetrics m, double[] outputs, double[] target) {
    m.record(outputs, target);
  }

  private static void assertClose(MetricValues expected, MetricValues actual) {
    assertClose(expected, actual, "");
  }

  private static void assertClose(MetricValues expected, MetricValues actual, String what) {
    double[] e = values(expected);
    double[] a = values(actual);
    String[] names = {"mae", "rmse", "r2", "accuracy", "log loss", "macro F1", "ROC AUC"};
    for (int i = 0; i < e.length; i++) {
      if (Double.isNaN(e[i])) {
        assertTrue(Double.isNaN(a[i]), what + " " + names[i] + ": expected none, got " + a[i]);
      } else {
        assertEquals(e[i], a[i], 1e-9 * Math.max(1, Math.abs(e[i])), what + " " + names[i]);
      }
    }
  }

  private static double[] values(MetricValues m) {
    return new double[] {
      m.mae(), m.rmse(), m.r2(), m.accuracy(), m.logLoss(), m.macroF1(), m.rocAuc()
    };
  }

  @Test
  void shouldPickTheMetricsOfTheModelsLoss() {
    assertEquals(
        RegressionMetrics.class,
        QualityMetrics.of(
                Architecture.parse("2-3-2", Activation.TANH, Activation.IDENTITY, Loss.L1), 5)
            .getClass());
    assertEquals(
        ClassificationMetrics.class,
        QualityMetrics.of(
                Architecture.parse("2-3-4", Activation.TANH, Activation.SOFTMAX, Loss.SOFTMAX_CE),
                5)
            .getClass());
    assertEquals(
        BinaryMetrics.class,
        QualityMetrics.of(
                Architecture.parse("2-3-1", Activation.TANH, Activation.SIGMOID, Loss.BCE), 5)
            .getClass());
  }
}
