package io.streamgrad.nn;

import java.util.List;

/**
 * The shape of a network: its layers and the loss it trains on, checked for consistency once so
 * that the hot path never has to. Also answers the lecture's counting questions.
 */
public record Architecture(List<LayerShape> layers, Loss loss) {
  public Architecture {
    layers = List.copyOf(layers);
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("layers: a network needs at least one layer");
    }
    if (loss == null) {
      throw new IllegalArgumentException("loss: missing");
    }
    for (int l = 1; l < layers.size(); l++) {
      if (layers.get(l).in() != layers.get(l - 1).out()) {
        throw new IllegalArgumentException(
            "layers["
                + l
                + "].in is "
                + layers.get(l).in()
                + " but layers["
                + (l - 1)
                + "].out is "
                + layers.get(l - 1).out());
      }
    }
    for (int l = 0; l < layers.size() - 1; l++) {
      if (layers.get(l).activation() == Activation.SOFTMAX) {
        throw new IllegalArgumentException(
            "layers[" + l + "].activation: softmax is allowed on the last layer only");
      }
    }
    Activation last = layers.get(layers.size() - 1).activation();
    if (loss == Loss.SOFTMAX_CE && last != Activation.SOFTMAX) {
      throw new IllegalArgumentException(
          "loss: softmax_ce needs a softmax last layer, not " + last.fileName());
    }
    if (loss == Loss.BCE && last != Activation.SIGMOID) {
      throw new IllegalArgumentException(
          "loss: bce needs a sigmoid last layer, not " + last.fileName());
    }
  }

  public static Architecture of(Loss loss, LayerShape... layers) {
    return new Architecture(List.of(layers), loss);
  }

  /** Parses "3-4-2" with one hidden activation for every layer but the last, and an output one. */
  public static Architecture parse(String sizes, Activation hidden, Activation output, Loss loss) {
    String[] parts = sizes.split("-");
    if (parts.length < 2) {
      throw new IllegalArgumentException("sizes '" + sizes + "': expected e.g. 3-4-2");
    }
    LayerShape[] layers = new LayerShape[parts.length - 1];
    for (int l = 0; l < layers.length; l++) {
      layers[l] =
          new LayerShape(
              Integer.parseInt(parts[l].trim()),
              Integer.parseInt(parts[l + 1].trim()),
              l == layers.length - 1 ? output : hidden);
    }
    return of(loss, layers);
  }

  public int inputs() {
    return layers.get(0).in();
  }

  public int outputs() {
    return layers.get(layers.size() - 1).out();
  }

  public Activation outputActivation() {
    return layers.get(layers.size() - 1).activation();
  }

  /** Neurons (perceptrons): every unit of every layer but the input. 6 for the lecture's 3-4-2. */
  public int neurons() {
    return layers.stream().mapToInt(LayerShape::out).sum();
  }

  /** Weights (edges): 20 for 3-4-2. */
  public int weights() {
    return layers.stream().mapToInt(LayerShape::weights).sum();
  }

  /** Biases, one per neuron. */
  public int biases() {
    return neurons();
  }

  /** Learnable parameters: weights plus biases, 26 for 3-4-2. */
  public int parameters() {
    return weights() + biases();
  }

  /** Where layer l's weights start in the flat parameter array: W row-major, then its biases. */
  public int weightOffset(int l) {
    int offset = 0;
    for (int k = 0; k < l; k++) {
      offset += layers.get(k).weights() + layers.get(k).out();
    }
    return offset;
  }

  public int biasOffset(int l) {
    return weightOffset(l) + layers.get(l).weights();
  }

  /** "3-4-2". */
  public String sizes() {
    StringBuilder s = new StringBuilder().append(inputs());
    for (LayerShape layer : layers) {
      s.append('-').append(layer.out());
    }
    return s.toString();
  }
}
