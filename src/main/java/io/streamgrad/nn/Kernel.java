package io.streamgrad.nn;

/**
 * The hot passes of an {@link Mlp} over its own arrays, as one network-shaped object (see
 * {@link ShapedKernel}). Each does exactly what the Mlp method of the same name does.
 */
interface Kernel {
  void forward(double[] x);

  /** The loss of the last forward pass against target. */
  double loss(double[] target);

  void backward(double[] target);

  /** x is the input of the last forward pass. */
  double gradientNormSquared(double[] x);

  /** x is the input of the last forward pass. */
  void descend(double[] x, double rate);
}
