package io.streamgrad.stream;

/**
 * Where late labels come from and their outcomes go, and how many bytes of pending samples and
 * waiting labels one task keeps ({@code topic.labels}, {@code topic.outcomes}, {@code
 * label.pending.max.bytes}).
 */
public record LabelSettings(String labelsTopic, String outcomesTopic, long pendingMaxBytes) {
  public static final LabelSettings DEFAULT =
      new LabelSettings("streamgrad.labels", "streamgrad.outcomes", 256L * 1024 * 1024);
}
