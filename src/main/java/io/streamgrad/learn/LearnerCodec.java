package io.streamgrad.learn;

import io.streamgrad.nn.Mlp;
import io.streamgrad.nn.OptimizerState;
import io.streamgrad.nn.ParameterLayout;
import io.streamgrad.nn.Trainer;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The learner's whole state as bytes, for the changelog: spec, weights, optimizer state, the
 * partial minibatch, the running statistics and the quality metrics. Decoding gives a learner that
 * continues bit-identically.
 *
 * <p>Layout, version 2: magic "SGL", a version byte, then sections, each a tag, a byte length and
 * its content ({@link StateWriter}): every piece of learner state owns a tag, so adding one does
 * not move the others. Parameter-shaped arrays are in canonical order (the model file's), so that
 * the bytes do not depend on how the kernel lays out its arrays. A section this code does not know
 * is an error (a state written by a newer Streamgrad), never silently dropped. Version 1 (one fixed
 * layout) is still read, so a changelog written before version 2 restores.
 */
public final class LearnerCodec {
  private static final byte[] MAGIC = {'S', 'G', 'L'};
  private static final byte VERSION = 2;
  private static final byte VERSION_1 = 1;

  private static final int SPEC = 1;
  private static final int WEIGHTS = 2;
  private static final int OPTIMIZER = 3;
  private static final int MINIBATCH = 4;
  private static final int STATS = 5;
  private static final int METRICS = 6;

  /** The drift detector's state, its resets and detections; only for a spec with a detector. */
  private static final int DRIFT = 7;

  /** The divergence watch, its detections and the learning-rate scale; absent when it is off. */
  private static final int DIVERGENCE = 8;

  /** Delayed labels: applied, expired and dropped counts, the delays; absent while all are 0. */
  private static final int LABELS = 9;

  /**
   * The preprocessing's statistics (inputs, target, unnamed-field count); only for a spec with
   * {@code inputs} or {@code target_scale}.
   */
  private static final int PREPROCESSING = 10;

  /**
   * Every tag this version reads. A section added later must be optional on reading (absent in a
   * state written before it existed: the learner starts that piece afresh).
   */
  private static final Set<Integer> KNOWN =
      Set.of(
          SPEC,
          WEIGHTS,
          OPTIMIZER,
          MINIBATCH,
          STATS,
          METRICS,
          DRIFT,
          DIVERGENCE,
          LABELS,
          PREPROCESSING);

  private LearnerCodec() {}

  public static byte[] encode(Learner learner) {
    Trainer trainer = learner.trainer();
    byte[] spec =
        ModelFile.toJson(ModelFile.specNode(learner.spec())).getBytes(StandardCharsets.UTF_8);
    ParameterLayout layout = trainer.mlp().layout();
    OptimizerState state = trainer.state();
    int parameters = layout.architecture().parameters();
    StateWriter out =
        new StateWriter(
            new byte[] {MAGIC[0], MAGIC[1], MAGIC[2], VERSION},
            spec.length + 8 * 4 * parameters + 8 * 13 * learner.stats().windowLosses.length + 256);
    out.begin(SPEC).putBytes(spec).end();
    out.begin(WEIGHTS).putDoubles(trainer.mlp().canonicalParameters()).end();
    out.begin(OPTIMIZER)
        .putLong(state.steps())
        .putDoubles(canonical(layout, state.firstOrNull()))
        .putDoubles(canonical(layout, state.secondOrNull()));
    if (state.thirdOrNull() != null) {
      // Only RMSprop's mean gradient needs it: every other state keeps its bytes of before.
      out.putDoubles(canonical(layout, state.thirdOrNull()));
    }
    out.end();
    out.begin(MINIBATCH)
        .putInt(trainer.pending())
        .putDoubles(trainer.pending() > 0 ? layout.toCanonical(trainer.pendingGradient()) : null)
        .end();
    out.begin(STATS);
    learner.stats().writeTo(out);
    out.end();
    out.begin(METRICS);
    learner.stats().writeMetricsTo(out);
    out.end();
    Monitor monitor = learner.monitor();
    if (monitor.detector != null) {
      out.begin(DRIFT)
          .putBytes(monitor.detector.name().getBytes(StandardCharsets.UTF_8))
          .putDoubles(monitor.detector.state())
          .putLong(monitor.resets)
          .putLong(monitor.drifts)
          .end();
    }
    if (monitor.divergence != null) {
      out.begin(DIVERGENCE)
          .putDoubles(monitor.divergence.state())
          .putDouble(monitor.learningRateScale)
          .putLong(monitor.divergences)
          .end();
    }
    if (!learner.labelStats().isEmpty()) {
      out.begin(LABELS);
      learner.labelStats().writeTo(out);
      out.end();
    }
    if (learner.preprocessor() != null) {
      out.begin(PREPROCESSING).putDoubles(learner.preprocessor().state()).end();
    }
    return out.toByteArray();
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
      if (version == VERSION_1) {
        return decodeVersion1(in);
      }
      if (version != VERSION) {
        throw new IllegalArgumentException(
            "learner state version " + version + " is not supported");
      }
      return decodeSections(sections(in));
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("learner state is truncated", e);
    }
  }

  private static Map<Integer, ByteBuffer> sections(ByteBuffer in) {
    Map<Integer, ByteBuffer> sections = new HashMap<>();
    while (in.hasRemaining()) {
      int tag = in.getInt();
      int length = in.getInt();
      if (length < 0 || length > in.remaining()) {
        throw new BufferUnderflowException();
      }
      if (!KNOWN.contains(tag)) {
        throw new IllegalArgumentException(
            "learner state has a section (tag " + tag + ") that this version does not know");
      }
      ByteBuffer content = in.slice(in.position(), length);
      in.position(in.position() + length);
      if (sections.put(tag, content) != null) {
        throw new IllegalArgumentException("learner state has section " + tag + " twice");
      }
    }
    return sections;
  }

  private static Learner decodeSections(Map<Integer, ByteBuffer> sections) {
    StateReader specIn = section(sections, SPEC, "spec");
    ModelSpec spec = ModelFile.parse(new String(specIn.getBytes(), StandardCharsets.UTF_8));
    specIn.expectEnd();
    ParameterLayout layout = new ParameterLayout(spec.architecture());
    int parameters = spec.architecture().parameters();

    StateReader weightsIn = section(sections, WEIGHTS, "weights");
    double[] params = weightsIn.getDoubles(parameters);
    weightsIn.expectEnd();
    if (params == null) {
      throw new IllegalArgumentException("learner state has no weights");
    }

    StateReader optimizerIn = section(sections, OPTIMIZER, "optimizer");
    long steps = optimizerIn.getLong();
    double[][] first = segments(layout, optimizerIn.getDoubles(parameters));
    double[][] second = segments(layout, optimizerIn.getDoubles(parameters));
    double[][] third =
        optimizerIn.hasRemaining() ? segments(layout, optimizerIn.getDoubles(parameters)) : null;
    OptimizerState state = new OptimizerState(steps, first, second, third);
    optimizerIn.expectEnd();

    StateReader minibatchIn = section(sections, MINIBATCH, "minibatch");
    int pending = minibatchIn.getInt();
    double[][] pendingGradient = segments(layout, minibatchIn.getDoubles(parameters));
    minibatchIn.expectEnd();

    Trainer trainer =
        Learner.trainer(
            spec,
            spec.optimizer(),
            new Mlp(spec.architecture(), params),
            state,
            pendingGradient,
            pending);

    StateReader statsIn = section(sections, STATS, "stats");
    StateReader metricsIn = optionalSection(sections, METRICS, "metrics");
    RunningStats stats = RunningStats.readFrom(statsIn, metricsIn, spec.architecture());
    statsIn.expectEnd();
    if (metricsIn != null) {
      metricsIn.expectEnd();
    }
    Learner learner = new Learner(spec, trainer, stats, monitor(spec, sections));
    StateReader labelsIn = optionalSection(sections, LABELS, "labels");
    if (labelsIn != null) {
      learner.labelStats().readFrom(labelsIn);
      labelsIn.expectEnd();
    }
    StateReader preprocessingIn = optionalSection(sections, PREPROCESSING, "preprocessing");
    if (preprocessingIn != null) {
      if (learner.preprocessor() == null) {
        throw new IllegalArgumentException(
            "learner state holds preprocessing statistics that its spec does not have");
      }
      learner.preprocessor().restore(preprocessingIn.getDoubles());
      preprocessingIn.expectEnd();
    }
    return learner;
  }

  /**
   * The watches of a spec, resumed from sections 7 and 8 where the state has them, fresh where it
   * was written before they existed.
   */
  private static Monitor monitor(ModelSpec spec, Map<Integer, ByteBuffer> sections) {
    Monitor monitor = new Monitor(spec.monitoring());
    ByteBuffer drift = sections.get(DRIFT);
    if (drift != null) {
      StateReader in = new StateReader(drift, "drift");
      String name = new String(in.getBytes(), StandardCharsets.UTF_8);
      if (monitor.detector == null || !monitor.detector.name().equals(name)) {
        throw new IllegalArgumentException(
            "learner state holds a " + name + " detector that its spec does not have");
      }
      monitor.detector.restore(in.getDoubles());
      monitor.resets = in.getLong();
      monitor.drifts = in.getLong();
      in.expectEnd();
    }
    ByteBuffer divergence = sections.get(DIVERGENCE);
    if (divergence != null) {
      StateReader in = new StateReader(divergence, "divergence");
      if (monitor.divergence == null) {
        throw new IllegalArgumentException(
            "learner state holds a divergence watch that its spec turned off");
      }
      monitor.divergence.restore(in.getDoubles());
      monitor.learningRateScale = in.getDouble();
      monitor.divergences = in.getLong();
      in.expectEnd();
    }
    return monitor;
  }

  private static StateReader section(Map<Integer, ByteBuffer> sections, int tag, String name) {
    ByteBuffer content = sections.get(tag);
    if (content == null) {
      throw new IllegalArgumentException("learner state has no " + name + " section");
    }
    return new StateReader(content, name);
  }

  /** A section added after version 2 first shipped: null in a state written before it. */
  private static StateReader optionalSection(
      Map<Integer, ByteBuffer> sections, int tag, String name) {
    ByteBuffer content = sections.get(tag);
    return content == null ? null : new StateReader(content, name);
  }

  private static double[] canonical(ParameterLayout layout, double[][] segments) {
    return segments == null ? null : layout.toCanonical(segments);
  }

  /** Version 1: one fixed layout, the fields in the order of the sections of version 2. */
  private static Learner decodeVersion1(ByteBuffer in) {
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
    Trainer trainer = Learner.trainer(spec, spec.optimizer(), mlp, state, pendingGradient, pending);
    double halfLife = in.getDouble();
    int window = in.getInt();
    RunningStats stats = new RunningStats(new StatsSettings(halfLife, window), spec.architecture());
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
