/**
 * The math of a multi-layer perceptron trained by stochastic gradient descent, with PyTorch's
 * conventions so that every result can be checked against it. No Kafka, no I/O.
 *
 * <p>Read it in the order of the lecture:
 *
 * <ol>
 *   <li>{@link io.streamgrad.nn.Mlp}: the network over flat arrays, {@code forward} (a = W·x + b,
 *       out = f(a) per layer) and {@code backward} (the chain rule, layer by layer); {@link
 *       io.streamgrad.nn.DenseLoops} holds the loops both call.
 *   <li>{@link io.streamgrad.nn.Activation} and {@link io.streamgrad.nn.Loss}: each derivative next
 *       to its value; {@link io.streamgrad.nn.Exp} is e^x computed the same on every JVM.
 *   <li>{@link io.streamgrad.nn.Trainer}: one training step on a sample or a minibatch, with
 *       gradient clipping and the guard that refuses a step whose result would not be finite.
 *   <li>{@link io.streamgrad.nn.Optimizer}: SGD (momentum, Nesterov, weight decay) and Adam, with
 *       their state in {@link io.streamgrad.nn.OptimizerState}.
 * </ol>
 *
 * <p>The rest serves those: {@link io.streamgrad.nn.Architecture} and its layer shapes, {@link
 * io.streamgrad.nn.Initializer}, {@link io.streamgrad.nn.ParameterLayout} (the canonical order of
 * the parameters), {@link io.streamgrad.nn.Decision}, and {@link io.streamgrad.nn.ShapedKernel}, a
 * copy of the loops specialised for one network shape, which gives the generic path's bits faster.
 */
package io.streamgrad.nn;
