package io.streamgrad.cli;

import io.streamgrad.bench.BenchCommand;
import io.streamgrad.service.Configuration;
import io.streamgrad.service.ExitCodes;
import io.streamgrad.service.SchemaRegistryUnreachable;
import io.streamgrad.service.Service;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point of target/streamgrad.jar: a command per job. */
@Command(
    name = "streamgrad",
    mixinStandardHelpOptions = true,
    version = "streamgrad 0.1.0",
    description = "Online training of neural networks inside Apache Kafka Streams.",
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      ReplayCommand.class,
      ProduceCommand.class,
      TailCommand.class,
      TopicsCommand.class,
      LoadCommand.class,
      BenchCommand.class
    })
public final class Main {
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command and returns its exit code, for tests. */
  public static int execute(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          System.err.println("error: " + e.getMessage());
          // What went wrong decides the code, wherever a command found it.
          if (e instanceof CommandFailure failure) {
            return failure.exitCode();
          }
          if (e instanceof Service.BrokerUnreachable || e instanceof SchemaRegistryUnreachable) {
            return ExitCodes.UNREACHABLE;
          }
          if (e instanceof Configuration.InvalidSetting) {
            return ExitCodes.USAGE;
          }
          return ExitCodes.FAILURE;
        });
    return commandLine.execute(args);
  }
}
