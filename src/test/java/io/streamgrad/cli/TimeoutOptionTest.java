package io.streamgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class TimeoutOptionTest {
  private final TimeoutOption.DurationConverter converter = new TimeoutOption.DurationConverter();

  @Test
  void shouldReadAPlainNumberAsSeconds() {
    assertEquals(Duration.ofSeconds(15), converter.convert("15"));
  }

  @Test
  void shouldReadADurationWithItsUnit() {
    assertEquals(Duration.ofMillis(500), converter.convert("500ms"));
  }

  @Test
  void shouldReadAnIsoDuration() {
    assertEquals(Duration.ofMinutes(2), converter.convert("PT2M"));
  }

  @Test
  void shouldRefuseZero() {
    assertThrows(TypeConversionException.class, () -> converter.convert("0"));
  }
}
