package io.streamgrad.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstanceTest {
  @Test
  void shouldWarnWhenAnyHostReachesTheApiWithoutAToken() {
    assertTrue(
        Instance.exposureWarning("0.0.0.0", "")
            .orElseThrow()
            .startsWith("warning: http.host 0.0.0.0 is not a loopback address"));
  }

  @Test
  void shouldNotWarnOnALoopbackAddress() {
    assertEquals(Optional.empty(), Instance.exposureWarning("127.0.0.1", ""));
  }

  @Test
  void shouldNotWarnWhenATokenIsSet() {
    assertEquals(Optional.empty(), Instance.exposureWarning("0.0.0.0", "s3cret"));
  }
}
