package io.streamgrad.nn;

/**
 * Where each learnable parameter lives, in the two orders the code uses.
 *
 * <p>The <b>canonical</b> order is the model file's and PyTorch's: for each layer l its weights
 * {@code W[j][i]} row-major (from input i to neuron j), then its biases — one flat array.
 *
 * <p>The <b>segment</b> order is how the kernel keeps them: for each layer either one array per
 * input i holding the weights from i to every neuron (a column of W), or, for a narrow layer of
 * fewer than {@link #NARROW} neurons, W row-major in one array (as in the canonical order); then
 * one array of biases. The hot loops of a wide layer then run over one whole array with the same
 * index on both sides, the form HotSpot vectorises (an offset index such as {@code w[row + i]}
 * defeats it; BENCHMARKS.md, "Kernel"), and a narrow layer does not pay a loop set-up per input for
 * a column of one or two values.
 */
public final class ParameterLayout {
  /** Layers with fewer neurons than this are kept by row. */
  public static final int NARROW = 8;

  private final Architecture architecture;
  private final int segmentCount;

  public ParameterLayout(Architecture architecture) {
    this.architecture = architecture;
    int count = 0;
    for (LayerShape layer : architecture.layers()) {
      count += weightSegments(layer) + 1;
    }
    this.segmentCount = count;
  }

  /**
   * True when the layer's weights are kept row-major in one array, else one column (input) per
   * array.
   */
  public static boolean byRow(LayerShape layer) {
    return layer.out() < NARROW;
  }

  /**
   * How many arrays hold the layer's weights: one (row-major) for a narrow layer, one per input
   * otherwise.
   */
  public static int weightSegments(LayerShape layer) {
    return byRow(layer) ? 1 : layer.in();
  }

  public Architecture architecture() {
    return architecture;
  }

  /** Zero-filled segments of the right shapes. */
  public double[][] newSegments() {
    double[][] segments = new double[segmentCount][];
    int s = 0;
    for (LayerShape layer : architecture.layers()) {
      if (byRow(layer)) {
        segments[s++] = new double[layer.out() * layer.in()];
      } else {
        for (int i = 0; i < layer.in(); i++) {
          segments[s++] = new double[layer.out()];
        }
      }
      segments[s++] = new double[layer.out()];
    }
    return segments;
  }

  /** Segments holding the values of a canonical flat array. */
  public double[][] toSegments(double[] canonical) {
    if (canonical.length != architecture.parameters()) {
      throw new IllegalArgumentException(
          "expected "
              + architecture.parameters()
              + " parameters for "
              + architecture.sizes()
              + ", got "
              + canonical.length);
    }
    double[][] segments = newSegments();
    int s = 0;
    for (int l = 0; l < architecture.layers().size(); l++) {
      LayerShape layer = architecture.layers().get(l);
      int w = architecture.weightOffset(l);
      if (byRow(layer)) {
        System.arraycopy(canonical, w, segments[s++], 0, layer.out() * layer.in());
      } else {
        for (int i = 0; i < layer.in(); i++, s++) {
          for (int j = 0; j < layer.out(); j++) {
            segments[s][j] = canonical[w + j * layer.in() + i];
          }
        }
      }
      System.arraycopy(canonical, architecture.biasOffset(l), segments[s++], 0, layer.out());
    }
    return segments;
  }

  /** A canonical flat copy of segments. */
  public double[] toCanonical(double[][] segments) {
    double[] canonical = new double[architecture.parameters()];
    int s = 0;
    for (int l = 0; l < architecture.layers().size(); l++) {
      LayerShape layer = architecture.layers().get(l);
      int w = architecture.weightOffset(l);
      if (byRow(layer)) {
        System.arraycopy(segments[s++], 0, canonical, w, layer.out() * layer.in());
      } else {
        for (int i = 0; i < layer.in(); i++, s++) {
          for (int j = 0; j < layer.out(); j++) {
            canonical[w + j * layer.in() + i] = segments[s][j];
          }
        }
      }
      System.arraycopy(segments[s++], 0, canonical, architecture.biasOffset(l), layer.out());
    }
    return canonical;
  }

  /** The segment and index of canonical parameter k, packed as segment * 2^32 + index. */
  long locate(int k) {
    int s = 0;
    for (int l = 0; l < architecture.layers().size(); l++) {
      LayerShape layer = architecture.layers().get(l);
      int w = architecture.weightOffset(l);
      int b = architecture.biasOffset(l);
      int weightSegments = weightSegments(layer);
      if (k >= w && k < b) {
        if (byRow(layer)) {
          return ((long) s << 32) | (k - w);
        }
        int j = (k - w) / layer.in();
        int i = (k - w) % layer.in();
        return ((long) (s + i) << 32) | j;
      }
      if (k >= b && k < b + layer.out()) {
        return ((long) (s + weightSegments) << 32) | (k - b);
      }
      s += weightSegments + 1;
    }
    throw new IndexOutOfBoundsException("parameter " + k + " of " + architecture.parameters());
  }

  /** Deep copy of segments. */
  public static double[][] copy(double[][] segments) {
    double[][] copy = new double[segments.length][];
    for (int s = 0; s < segments.length; s++) {
      copy[s] = segments[s].clone();
    }
    return copy;
  }

  /** target ← source, segment by segment (same shapes). */
  public static void copyInto(double[][] source, double[][] target) {
    for (int s = 0; s < source.length; s++) {
      System.arraycopy(source[s], 0, target[s], 0, source[s].length);
    }
  }

  public static void fill(double[][] segments, double value) {
    for (double[] segment : segments) {
      java.util.Arrays.fill(segment, value);
    }
  }
}
