package io.streamgrad.learn.inputs;

/**
 * A sample's value that the inputs of its model cannot take; the message names the input. The
 * learner turns it into a rejection (a dead letter), before any state has changed.
 */
public final class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Which kind of fault, for the reason code of the dead letter. */
  public enum Kind {
    /** A value of the wrong type, outside a closed vocabulary, missing, or not named. */
    BAD_INPUT,
    /** A number that is NaN or infinite. */
    NON_FINITE,
    /** An array of features of the wrong length. */
    WRONG_COUNT
  }

  private final Kind kind;

  InputException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
