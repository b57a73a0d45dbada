package io.streamgrad.nn;

/**
 * The hot passes of an {@link Mlp} over its own arrays, as one network-shaped object (see {@link
 * ShapedKernel}). Each does exactly what the Mlp method of the same name does.
 */
interface Kernel {
  /** Copies x into the network's input buffer and runs the network on it. */
  void forward(double[] x);

  /** The loss of the last forward pass against target. */
  double loss(double[] target);

  void backward(double[] target);

  /** The second half of backward: from the output layer's delta, already in place, downwards. */
  void propagate();

  double gradientNormSquared();

  void descend(double rate);
}
