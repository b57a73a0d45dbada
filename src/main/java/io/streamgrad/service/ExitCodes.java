package io.streamgrad.service;

/**
 * Exit codes of every command, for scripts: what went wrong decides the code, wherever it was
 * found.
 */
public final class ExitCodes {
  public static final int OK = 0;

  /** Something failed at run time (a broker that went away, a strict replay that met bad input). */
  public static final int FAILURE = 1;

  /** The command line or configuration is wrong: fix it and run again. */
  public static final int USAGE = 2;

  /**
   * The broker (or a configured schema registry) could not be reached, or refused this service's
   * principal an operation (ACLs).
   */
  public static final int UNREACHABLE = 3;

  private ExitCodes() {}
}
