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
 * then the numeric state. Decoding gives a learner that continues bit-identically.
 */
public final class LearnerCodec {
  private static final byte[] MAGIC = {'S', 'G', 'L'};
  private static final byte VERSION = 1;

  private LearnerCodec() {}

  public static byte[] encode(Learner learner) {
    Trainer trainer = learner.trainer();
    RunningStats stats = learner.stats();
    byte[] spec = ModelFile.toJson(ModelFile.specNode(learner.spec())).getBytes(StandardCharsets.UTF_8);
    double[][] params = trainer.mlp().segments();
    OptimizerState state = trainer.state();
    double[][] pending = trainer.pending() > 0 ? trainer.pendingGradient() : null;
    int window = stats.windowLosses.length;
    int size = MAGIC.length + 1 + 4 + spec.length
        + doublesSize(params) + 8 + doublesSize(state.firstOrNull()) + doublesSize(state.secondOrNull())
        + 4 + doublesSize(pending)
        + 8 + 4 + 8 * 5 + 8 * 2 + 4 + 4 + 4 + window * 9;
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put(VERSION);
    out.putInt(spec.length).put(spec);
    putDoubles(out, params);
    out.putLong(state.steps());
    putDoubles(out, state.firstOrNull());
    putDoubles(out, state.secondOrNull());
    out.putInt(trainer.pending());
    putDoubles(out, pending);
    out.putDouble(stats.settings.ewmaHalfLife()).putInt(window);
    out.putLong(stats.samples).putLong(stats.labelled).putLong(stats.refused)
        .putDouble(stats.lossSum).putDouble(stats.ewma);
    out.putLong(stats.classified).putLong(stats.errors);
    out.putInt(stats.windowFilled).putInt(stats.windowNext).putInt(window);
    for (double loss : stats.windowLosses) {
      out.putDouble(loss);
    }
    out.put(stats.windowErrors);
    return out.array();
  }

  /** @throws IllegalArgumentException when the bytes are not a learner state of a known version */
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
        throw new IllegalArgumentException("learner state version " + version + " is not supported");
      }
      byte[] specBytes = new byte[in.getInt()];
      in.get(specBytes);
      ModelSpec spec = ModelFile.parse(new String(specBytes, StandardCharsets.UTF_8));
      ParameterLayout layout = new ParameterLayout(spec.architecture());
      double[][] params = getSegments(in, layout);
      long steps = in.getLong();
      OptimizerState state = new OptimizerState(steps, getSegments(in, layout), getSegments(in, layout));
      int pending = in.getInt();
      double[][] pendingGradient = getSegments(in, layout);
      Mlp mlp = new Mlp(spec.architecture(), layout.toCanonical(params));
      Trainer trainer = new Trainer(mlp, spec.optimizer(), state, spec.minibatch(), spec.clipNorm(),
          pendingGradient, pending);
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

  /** Segments are written one after the other (their shapes follow from the spec), -1 for none. */
  private static int doublesSize(double[][] segments) {
    int size = 4;
    if (segments != null) {
      for (double[] segment : segments) {
        size += 8 * segment.length;
      }
    }
    return size;
  }

  private static void putDoubles(ByteBuffer out, double[][] segments) {
    if (segments == null) {
      out.putInt(-1);
      return;
    }
    out.putInt(segments.length);
    for (double[] segment : segments) {
      out.asDoubleBuffer().put(segment);
      out.position(out.position() + 8 * segment.length);
    }
  }

  private static double[][] getSegments(ByteBuffer in, ParameterLayout layout) {
    int n = in.getInt();
    if (n < 0) {
      return null;
    }
    double[][] segments = layout.newSegments();
    if (n != segments.length) {
      throw new IllegalArgumentException("learner state holds " + n + " segments, the spec needs " + segments.length);
    }
    for (double[] segment : segments) {
      in.asDoubleBuffer().get(segment);
      in.position(in.position() + 8 * segment.length);
    }
    return segments;
  }
}
