package io.streamgrad.app;

/** Exit codes of every command, for scripts. */
final class ExitCodes {
  static final int OK = 0;
  /** Something failed at run time (a broker that went away, a strict replay that met bad input). */
  static final int FAILURE = 1;
  /** The command line or configuration is wrong: fix it and run again. */
  static final int USAGE = 2;
  /** The broker could not be reached. */
  static final int UNREACHABLE = 3;

  private ExitCodes() {}
}
