package io.streamgrad.cli;

/**
 * A command that cannot go on, with the exit code that says why (service.ExitCodes) and a message
 * for the user. Main prints the message and returns the code, so that a check deep inside a command
 * needs no plumbing of return values.
 */
final class CommandFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  CommandFailure(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
