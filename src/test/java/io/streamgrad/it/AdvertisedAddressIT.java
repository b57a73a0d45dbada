package io.streamgrad.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamgrad.http.Instance;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.service.Configuration;
import io.streamgrad.service.EmbeddedBroker;
import io.streamgrad.stream.StreamSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/**
 * Two instances bound to the wildcard address 0.0.0.0, as in a container, advertise 127.0.0.1 to
 * each other: each forwards a request for a model the other owns and answers with its model file.
 */
class AdvertisedAddressIT {
  private static final String PREFIX = "advertised";

  private static Configuration config(String bootstrapServers) {
    Configuration config =
        Configuration.defaultsOnly()
            .with("bootstrap.servers", bootstrapServers)
            .with("application.id", PREFIX)
            .with("http.host", "0.0.0.0")
            .with("http.port", "0")
            .with("http.advertised.host", "127.0.0.1")
            .with("state.dir", "") // a temporary one, deleted at close
            .with("commit.interval.ms", "200")
            .with("topics.partitions", String.valueOf(CrashIT.PARTITIONS));
    for (String topic : List.of("samples", "models", "predictions", "loss", "dead-letters")) {
      config = config.with("topic." + topic, PREFIX + "." + topic);
    }
    return config;
  }

  @Test
  void shouldForwardARequestForAModelToTheInstanceThatOwnsItByItsAdvertisedAddress()
      throws Exception {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    try (EmbeddedBroker broker = EmbeddedBroker.start();
        Instance first = Instance.start(config(broker.bootstrapServers()), quiet);
        Instance second = Instance.start(config(broker.bootstrapServers()), quiet)) {
      first.awaitRunning(Duration.ofSeconds(60));
      second.awaitRunning(Duration.ofSeconds(60));
      ItSupport.publishCrashSpecsWithSamples(broker.bootstrapServers(), PREFIX, 20);

      Map<Integer, Instance> byPort = Map.of(first.httpPort(), first, second.httpPort(), second);
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      Map<String, String> failures = new TreeMap<>();
      Set<Integer> owners = new TreeSet<>();
      do {
        failures.clear();
        owners.clear();
        for (String model : CrashIT.SPECS.keySet()) {
          KeyQueryMetadata owner =
              first
                  .service()
                  .streams()
                  .queryMetadataForKey(StreamSettings.STORE, model, new StringSerializer());
          HostInfo host = owner.activeHost();
          if (owner == KeyQueryMetadata.NOT_AVAILABLE || !byPort.containsKey(host.port())) {
            failures.put(model, "no owner yet: " + host);
            continue;
          }
          owners.add(host.port());
          Instance other = host.port() == first.httpPort() ? second : first;
          HttpResponse<String> response = ItSupport.get(other.httpPort(), "/models/" + model);
          if (response.statusCode() != 200
              || !ModelFile.parse(response.body()).model().equals(model)) {
            failures.put(model, response.statusCode() + " " + response.body());
          }
        }
        if (failures.isEmpty() && owners.size() == 2) {
          break;
        }
        Thread.sleep(500);
      } while (System.nanoTime() < deadline);
      assertEquals(Map.of(), failures, "GET /models/{id} from the instance that does not own it");
      assertEquals(2, owners.size(), "both instances own models, so both forward");
      Set<String> advertised =
          first.service().streams().metadataForAllStreamsClients().stream()
              .map(StreamsMetadata::hostInfo)
              .map(h -> h.host() + ":" + h.port())
              .collect(Collectors.toSet());
      assertEquals(
          Set.of("127.0.0.1:" + first.httpPort(), "127.0.0.1:" + second.httpPort()),
          advertised,
          "application.server is the advertised host with the bound port");
    }
  }
}
