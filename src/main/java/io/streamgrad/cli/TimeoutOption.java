package io.streamgrad.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code --timeout} of every command that talks to Kafka: how long it waits for the brokers
 * before it gives up with exit code 3, instead of the minutes Kafka's clients would retry for.
 */
final class TimeoutOption {
  @Option(
      names = "--timeout",
      defaultValue = "15s",
      converter = DurationConverter.class,
      description =
          "how long to wait for the brokers (to answer, to accept a record) before giving up with"
              + " exit code 3: seconds (15) or a duration (500ms, 15s, 2m, PT15S)"
              + " (default: ${DEFAULT-VALUE})")
  Duration timeout;

  /** Plain seconds, a number with ms/s/m, or ISO-8601; positive. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)?");

    @Override
    public Duration convert(String value) {
      Duration parsed = parse(value.trim().toLowerCase(Locale.ROOT));
      if (parsed.isNegative() || parsed.isZero()) {
        throw new TypeConversionException("'" + value + "' is not a positive duration");
      }
      return parsed;
    }

    private static Duration parse(String value) {
      Matcher m = SHORT.matcher(value);
      if (m.matches()) {
        double number = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis =
            switch (unit) {
              case "ms" -> number;
              case "m" -> number * 60_000;
              default -> number * 1_000;
            };
        return Duration.ofMillis(Math.round(millis));
      }
      try {
        return Duration.parse(value.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'" + value + "' is not a duration: give seconds (15) or 500ms, 15s, 2m, PT15S");
      }
    }
  }
}
