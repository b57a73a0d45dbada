package io.streamgrad.learn;

import io.streamgrad.nn.Mlp;
import io.streamgrad.nn.OptimizerState;
import io.streamgrad.nn.ParameterLayout;
import io.streamgrad.nn.Trainer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The learner's whole state as bytes, for the changelog: spec, weights, optimizer state, the
 * partial minibatch and the running statistics. Doubles are packed little-endian, never boxed.
 *
 * <p>Layout, version 1: magic "SGL", a version byte, the spec as model-file JSON without weights,
 * then the numeric state, every parameter-shaped array in canonical order (the model file's), so
 * that the bytes do not depend on how the kernel lays out its arrays. Decoding gives a learner that
 * continues bit-identically.
 */
public final class LearnerCodec {
  private static final byte[] MAGIC = {'S', 'G', 'L'};
  private static final byte VERSION = 1;

  private LearnerCodec() {}

  public static byte[] encode(Learner learner) {
    Trainer trainer = learner.trainer();
    RunningStats stats = learner.stats();
    byte[] spec =
        ModelFile.toJson(ModelFile.specNode(learner.spec())).getBytes(StandardCharsets.UTF_8);
    ParameterLayout layout = trainer.mlp().layout();
    double[] params = trainer.mlp().canonicalParameters();
    OptimizerState state = trainer.state();
    double[] pending = trainer.pending() > 0 ? layout.toCanonical(trainer.pendingGradient()) : null;
    double[] first = state.firstOrNull() == null ? null : layout.toCanonical(state.firstOrNull());
    double[] second =
        state.secondOrNull() == null ? null : layout.toCanonical(state.secondOrNull());
    int window = stats.windowLosses.length;
    int size =
        MAGIC.length
            + 1
            + 4
            + spec.length
            + doublesSize(params)
            + 8
            + doublesSize(first)
            + doublesSize(second)
            + 4
            + doublesSize(pending)
            + 8
            + 4
            + 8 * 5
            + 8 * 2
            + 4
            + 4
            + 4
            + window * 9;
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put(VERSION);
    out.putInt(spec.length).put(spec);
    putDoubles(out, params);
    out.putLong(state.steps());
    putDoubles(out, first);
    putDoubles(out, second);
    out.putInt(trainer.pending());
    putDoubles(out, pending);
    out.putDouble(stats.settings.ewmaHalfLife()).putInt(window);
    out.putLong(stats.samples)
        .putLong(stats.labelled)
        .putLong(stats.refused)
        .putDouble(stats.lossSum)
        .putDouble(stats.ewma);
    out.putLong(stats.classified).putLong(stats.errors);
    out.putInt(stats.windowFilled).putInt(stats.windowNext).putInt(window);
    for (double loss : stats.windowLosses) {
      out.putDouble(loss);
    }
    out.put(stats.windowErrors);
    return out.array();
  }

  /**
   * @throws IllegalArgumentException when the bytes are not a learner state of a known version
   */
  public static Learner decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    try {
      for (byte b : MAGIC) {
        if (in.get() != b) {
          throw new IllegalArgumentException("not a Streamgrad learner state (bad magic)");
        }
      }
      byte version = in.get();
      if (version != VERSION) {
        throw new IllegalArgumentException(
            "learner state version " + version + " is not supported");
      }
      byte[] specBytes = new byte[in.getInt()];
      in.get(specBytes);
      ModelSpec spec = ModelFile.parse(new String(specBytes, StandardCharsets.UTF_8));
      ParameterLayout layout = new ParameterLayout(spec.architecture());
      double[] params = getDoubles(in, layout);
      long steps = in.getLong();
      OptimizerState state =
          new OptimizerState(
              steps,
              segments(layout, getDoubles(in, layout)),
              segments(layout, getDoubles(in, layout)));
      int pending = in.getInt();
      double[][] pendingGradient = segments(layout, getDoubles(in, layout));
      Mlp mlp = new Mlp(spec.architecture(), params);
      Trainer trainer =
          new Trainer(
              mlp,
              spec.optimizer(),
              state,
              spec.minibatch(),
              spec.clipNorm(),
              pendingGradient,
              pending);
      double halfLife = in.getDouble();
      int window = in.getInt();
      RunningStats stats = new RunningStats(new StatsSettings(halfLife, window));
      stats.samples = in.getLong();
      stats.labelled = in.getLong();
      stats.refused = in.getLong();
      stats.lossSum = in.getDouble();
      stats.ewma = in.getDouble();
      stats.classified = in.getLong();
      stats.errors = in.getLong();
      stats.windowFilled = in.getInt();
      stats.windowNext = in.getInt();
      in.getInt();
      for (int i = 0; i < window; i++) {
        stats.windowLosses[i] = in.getDouble();
      }
      in.get(stats.windowErrors);
      return new Learner(spec, trainer, stats);
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("learner state is truncated", e);
    }
  }

  private static int doublesSize(double[] values) {
    return 4 + (values == null ? 0 : 8 * values.length);
  }

  private static void putDoubles(ByteBuffer out, double[] values) {
    if (values == null) {
      out.putInt(-1);
      return;
    }
    out.putInt(values.length);
    out.asDoubleBuffer().put(values);
    out.position(out.position() + 8 * values.length);
  }

  private static double[] getDoubles(ByteBuffer in, ParameterLayout layout) {
    int n = in.getInt();
    if (n < 0) {
      return null;
    }
    if (n != layout.architecture().parameters()) {
      throw new IllegalArgumentException(
          "learner state holds "
              + n
              + " values, the spec needs "
              + layout.architecture().parameters());
    }
    double[] values = new double[n];
    in.asDoubleBuffer().get(values);
    in.position(in.position() + 8 * n);
    return values;
  }

  private static double[][] segments(ParameterLayout layout, double[] canonical) {
    return canonical == null ? null : layout.toSegments(canonical);
  }
}
