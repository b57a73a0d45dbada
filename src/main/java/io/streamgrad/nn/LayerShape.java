package io.streamgrad.nn;

/** One fully connected layer: {@code out} neurons, each seeing {@code in} inputs, then f. */
public record LayerShape(int in, int out, Activation activation) {
  public LayerShape {
    if (in < 1 || out < 1) {
      throw new IllegalArgumentException(
          "a layer needs in >= 1 and out >= 1, got " + in + "x" + out);
    }
    if (activation == null) {
      throw new IllegalArgumentException("a layer needs an activation");
    }
  }

  public int weights() {
    return in * out;
  }
}
