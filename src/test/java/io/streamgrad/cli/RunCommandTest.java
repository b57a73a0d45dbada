package io.streamgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.service.Configuration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunCommandTest {
  @Test
  void shouldWarnThatAWildcardBindIsNoAddressToForwardTo() {
    Optional<String> warning =
        RunCommand.advertisedAddressWarning(
            Configuration.defaultsOnly().with("http.host", "0.0.0.0").serviceSettings());
    assertTrue(warning.orElse("").contains("http.advertised.host"), warning.toString());
  }

  @Test
  void shouldNotWarnWhenAWildcardBindHasAnAdvertisedHost() {
    assertEquals(
        Optional.empty(),
        RunCommand.advertisedAddressWarning(
            Configuration.defaultsOnly()
                .with("http.host", "0.0.0.0")
                .with("http.advertised.host", "node-1")
                .serviceSettings()));
  }

  @Test
  void shouldNotWarnForTheDefaultLoopbackBind() {
    assertEquals(
        Optional.empty(),
        RunCommand.advertisedAddressWarning(Configuration.defaultsOnly().serviceSettings()));
  }
}
