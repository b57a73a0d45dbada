package io.streamgrad.http;

import io.streamgrad.service.Configuration;
import io.streamgrad.service.Service;
import io.streamgrad.service.ServiceSettings;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/**
 * One instance of Streamgrad as {@code run} and {@code demo} start it: the {@link Service} and its
 * HTTP API (models, dashboard, metrics) on the port the service advertises to the others.
 */
public final class Instance implements AutoCloseable {
  private final Service service;
  private final HttpApi http;
  private final LossFeed feed;

  private Instance(Service service, HttpApi http, LossFeed feed) {
    this.service = service;
    this.http = http;
    this.feed = feed;
  }

  /** Logs the effective configuration, then starts the service and its HTTP API. */
  public static Instance start(Configuration config, PrintStream log) throws Exception {
    ServiceSettings requested = config.serviceSettings();
    log.print("effective configuration:\n" + config.describe());
    String token = config.string("http.auth.token");
    exposureWarning(requested.httpHost(), token).ifPresent(log::println);
    Service service = Service.start(requested, config.schemaRegistrySettings(), log);
    ServiceSettings settings = service.settings();
    LossFeed feed =
        new LossFeed(
            settings.bootstrapServers(),
            settings.stream().lossTopic(),
            settings.kafkaPassThrough(),
            service.confluentWire());
    MetricsEndpoint metricsEndpoint =
        new MetricsEndpoint(feed, service.metrics(), service.streams())
            .withRestores(service.restores());
    HttpApi http;
    try {
      http =
          HttpApi.start(
              settings.httpHost(),
              settings.httpPort(),
              HostInfo.buildFromEndpoint(settings.applicationServer()),
              service.streams(),
              service::restoring,
              new Dashboard(feed, service.metrics(), service.restores()::restoring),
              metricsEndpoint,
              token);
    } catch (BindException e) {
      feed.close();
      service.close();
      throw new Configuration.InvalidSetting(
          "http.port "
              + settings.httpPort()
              + " on "
              + settings.httpHost()
              + " is in use: choose another with --http-port or http.port");
    }
    HttpApi api = http;
    service
        .schemaRegistry()
        .ifPresent(
            client -> {
              api.watchingSchemaRegistry(client::outage);
              metricsEndpoint.withSchemaRegistry(client);
            });
    log.println(
        "streamgrad is running: HTTP on http://"
            + settings.httpHost()
            + ":"
            + http.port()
            + " (dashboard at /; GET /health, /health/live, /health/ready, /models, /models/{id}, /metrics, /events); samples from "
            + settings.stream().samplesTopic());
    return new Instance(service, http, feed);
  }

  /** The one warning line for an API that other hosts reach without a token, if it is one. */
  static Optional<String> exposureWarning(String host, String token) {
    if (!token.isEmpty() || isLoopback(host)) {
      return Optional.empty();
    }
    return Optional.of(
        "warning: http.host "
            + host
            + " is not a loopback address and http.auth.token is empty: anyone who reaches it"
            + " reads the models; set http.auth.token");
  }

  /** A host that does not resolve counts as not loopback: the warning errs on the safe side. */
  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  public Service service() {
    return service;
  }

  public int httpPort() {
    return http.port();
  }

  public String bootstrapServers() {
    return service.bootstrapServers();
  }

  /** Waits until Kafka Streams runs, or fails after the timeout. */
  public void awaitRunning(Duration timeout) throws InterruptedException {
    service.awaitRunning(timeout);
  }

  @Override
  public void close() {
    http.close();
    feed.close();
    service.close();
  }
}
