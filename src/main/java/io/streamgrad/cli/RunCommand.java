package io.streamgrad.cli;

import io.streamgrad.http.Instance;
import io.streamgrad.service.AccessDenied;
import io.streamgrad.service.Configuration;
import io.streamgrad.service.ExitCodes;
import io.streamgrad.service.SchemaRegistryUnreachable;
import io.streamgrad.service.Service;
import io.streamgrad.service.ServiceSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: the learner as a long-running service. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run the learner as a service (embedded broker when no servers are given).")
final class RunCommand implements Callable<Integer> {
  static final Path DEFAULT_CONFIG = Path.of("config/streamgrad.properties");
  private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0");

  @Option(
      names = "--config",
      description = "configuration file (default: config/streamgrad.properties when present)")
  Path config;

  @Option(names = "--bootstrap-servers", description = "Kafka brokers, host:port[,host:port]")
  String bootstrapServers;

  @Option(names = "--http-port", description = "HTTP port (0: any free port)")
  Integer httpPort;

  @Option(names = "--application-id", description = "Kafka Streams application id")
  String applicationId;

  @Option(names = "--no-create-topics", description = "do not create missing topics")
  boolean noCreateTopics;

  @Option(
      names = {"-s", "--set"},
      description = "any setting, KEY=VALUE (repeatable)")
  Map<String, String> settings = new HashMap<>();

  @Mixin TimeoutOption timeout = new TimeoutOption();

  @Override
  public Integer call() throws Exception {
    Map<String, String> flags = new HashMap<>(settings);
    flags.put("bootstrap.servers", bootstrapServers);
    flags.put("http.port", httpPort == null ? null : httpPort.toString());
    flags.put("application.id", applicationId);
    flags.put("topics.create", noCreateTopics ? "false" : null);
    Path file = config != null ? config : (Files.exists(DEFAULT_CONFIG) ? DEFAULT_CONFIG : null);
    CountDownLatch stopped = new CountDownLatch(1);
    Instance instance;
    try {
      Configuration configuration = Configuration.load(file, System.getenv(), flags);
      // A wrong setting is the user's to fix first: exit 2.
      ServiceSettings checked = configuration.serviceSettings();
      advertisedAddressWarning(checked).ifPresent(System.err::println);
      if (!configuration.bootstrapServers().isEmpty()) {
        // The service checks too, with its own wait; this one honours --timeout.
        Brokers.check(
            configuration.bootstrapServers(),
            configuration.kafkaPassThrough(),
            timeout.timeout,
            List.of());
      }
      instance = Instance.start(configuration, System.err);
    } catch (Configuration.InvalidSetting e) {
      System.err.println("error: " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (Service.BrokerUnreachable | AccessDenied | SchemaRegistryUnreachable e) {
      System.err.println("error: " + e.getMessage());
      return ExitCodes.UNREACHABLE;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.err.println("shutting down ...");
                  long start = System.nanoTime();
                  instance.close();
                  // An operator (or GracefulStopIT) reads here that the close finished, and how
                  // long it took: the group was left, so the other instances have the models.
                  System.err.printf(
                      "stopped in %d ms, left the consumer group%n",
                      (System.nanoTime() - start) / 1_000_000);
                  stopped.countDown();
                },
                "streamgrad-shutdown"));
    // Either a signal stops it (the hook above), or Kafka refuses it an operation: then it has
    // stopped learning, and an orchestrator should see a failed process, not a quiet one.
    while (!stopped.await(200, TimeUnit.MILLISECONDS)) {
      if (instance.service().denied().isDone()) {
        // The message is in the log already (the service printed it when it happened).
        return ExitCodes.UNREACHABLE;
      }
    }
    return ExitCodes.OK;
  }

  /**
   * A wildcard bind address would be advertised to the other instances as it is, and they cannot
   * forward {@code GET /models/{id}} to it (on another host 0.0.0.0 reaches the sender itself). Not
   * an error: a single instance never forwards.
   */
  static Optional<String> advertisedAddressWarning(ServiceSettings settings) {
    if (settings.advertisedHost().isEmpty() && WILDCARDS.contains(settings.httpHost())) {
      return Optional.of(
          "warning: http.host="
              + settings.httpHost()
              + " is no address other instances can forward GET /models/{id} to; with more than"
              + " one instance set http.advertised.host to this one's host name or address");
    }
    return Optional.empty();
  }
}
