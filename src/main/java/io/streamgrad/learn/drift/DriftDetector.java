package io.streamgrad.learn.drift;

import java.util.Map;

/**
 * A change detector fed one model's per-sample loss. Only a rise of the loss is a drift: a loss
 * that falls is the model learning. Implementations keep their whole state in plain fields so that
 * {@link #state} and {@link #restore} give a detector that continues bit for bit.
 */
public sealed interface DriftDetector permits Adwin, PageHinkley {

  /**
   * Takes the next loss.
   *
   * @return true when this value completes the evidence of a rise; {@link #evidence} then says what
   *     was compared
   */
  boolean add(double loss);

  /**
   * What the last detection compared, by name (the statistic, the bound it passed, the mean losses
   * before and after), in a fixed order; every value finite.
   */
  Map<String, Double> evidence();

  /** The detector's name in the model file: {@code adwin} or {@code page_hinkley}. */
  String name();

  /** The state as doubles (counts are exact below 2^53), for the learner's checkpoint. */
  double[] state();

  /**
   * Sets the state {@link #state} gave.
   *
   * @throws IllegalArgumentException when the values are not a state of this detector
   */
  void restore(double[] state);
}
