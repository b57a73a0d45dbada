package io.streamgrad.learn.drift;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Page-Hinkley test (Page, 1954, "Continuous Inspection Schemes"; Hinkley, 1971) for a rise of
 * the mean, as MOA and River run it on a stream: with x̄_T the mean of the values since the last
 * detection,
 *
 * <pre>
 *   m_T = α·m_{T−1} + (x_T − x̄_T − δ),   M_T = min_{t ≤ T} m_t,   PH_T = m_T − M_T
 * </pre>
 *
 * and a detection when PH_T &gt; λ after at least {@code min_instances} values. The test then
 * starts over, so one rise gives one detection.
 */
public final class PageHinkley implements DriftDetector {
  private final PageHinkleySettings settings;
  private long count;
  private double mean;
  private double sum;
  private double minimum = Double.POSITIVE_INFINITY;
  private final Map<String, Double> evidence = new LinkedHashMap<>();

  PageHinkley(PageHinkleySettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return "page_hinkley";
  }

  @Override
  public boolean add(double loss) {
    count++;
    mean += (loss - mean) / count;
    sum = settings.alpha() * sum + (loss - mean - settings.delta());
    minimum = Math.min(minimum, sum);
    double statistic = sum - minimum;
    if (count < settings.minInstances() || !(statistic > settings.threshold())) {
      return false;
    }
    evidence.clear();
    evidence.put("statistic", statistic);
    evidence.put("threshold", settings.threshold());
    evidence.put("mean", mean);
    evidence.put("loss", loss);
    evidence.put("count", (double) count);
    count = 0;
    mean = 0.0;
    sum = 0.0;
    minimum = Double.POSITIVE_INFINITY;
    return true;
  }

  /** PH_T, the statistic compared with λ (0 before the first value). */
  public double statistic() {
    return count == 0 ? 0.0 : sum - minimum;
  }

  @Override
  public Map<String, Double> evidence() {
    return new LinkedHashMap<>(evidence);
  }

  @Override
  public double[] state() {
    return new double[] {count, mean, sum, minimum};
  }

  @Override
  public void restore(double[] state) {
    if (state.length != 4) {
      throw new IllegalArgumentException(
          "a Page-Hinkley state has 4 values, this one " + state.length);
    }
    count = (long) state[0];
    mean = state[1];
    sum = state[2];
    minimum = state[3];
  }
}
