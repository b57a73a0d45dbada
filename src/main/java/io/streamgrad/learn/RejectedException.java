package io.streamgrad.learn;

/** Thrown where input cannot be used; carries the {@link Rejection} for the dead-letter topic. */
public class RejectedException extends RuntimeException {
  private final Rejection rejection;

  public RejectedException(ReasonCode reason, String message) {
    this(reason, message, null);
  }

  public RejectedException(ReasonCode reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.rejection = new Rejection(reason, message);
  }

  public Rejection rejection() {
    return rejection;
  }

  public ReasonCode reason() {
    return rejection.reason();
  }
}
