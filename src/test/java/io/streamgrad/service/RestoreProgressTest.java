package io.streamgrad.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RestoreProgressTest {
  private static final TopicPartition CHANGELOG = new TopicPartition("app-store-changelog", 1);

  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final RestoreProgress progress =
      new RestoreProgress(new PrintStream(log, true, StandardCharsets.UTF_8));

  @Test
  void shouldCountRecordsRestoredOfTheTotalWhileRestoring() {
    progress.onRestoreStart(CHANGELOG, "store", 100, 350);
    progress.onBatchRestored(CHANGELOG, "store", 200, 100);
    progress.onBatchRestored(CHANGELOG, "store", 250, 50);
    assertEquals(
        List.of(new RestoreProgress.Restoring("store", "app-store-changelog", 1, 150, 250)),
        progress.restoring());
  }

  @Test
  void shouldForgetAPartitionWhoseRestoreEnded() {
    progress.onRestoreStart(CHANGELOG, "store", 0, 10);
    progress.onRestoreEnd(CHANGELOG, "store", 10);
    assertEquals(List.of(), progress.restoring());
  }

  @Test
  void shouldForgetAPartitionWhoseRestoreWasSuspended() {
    progress.onRestoreStart(CHANGELOG, "store", 0, 10);
    progress.onRestoreSuspended(CHANGELOG, "store", 3);
    assertEquals(List.of(), progress.restoring());
  }

  @Test
  void shouldCountRestoredRecordsAndCompletedPartitionsSinceTheStart() {
    TopicPartition other = new TopicPartition("app-store-changelog", 2);
    progress.onRestoreStart(CHANGELOG, "store", 0, 10);
    progress.onBatchRestored(CHANGELOG, "store", 10, 10);
    progress.onRestoreEnd(CHANGELOG, "store", 10);
    progress.onRestoreStart(other, "store", 0, 50);
    progress.onBatchRestored(other, "store", 7, 7);
    progress.onRestoreSuspended(other, "store", 7);
    assertEquals(17, progress.restoredTotal());
    assertEquals(1, progress.partitionsCompleted(), "a suspended restore did not complete");
  }

  @Test
  void shouldLogTheProgressOfALongRestore() throws InterruptedException {
    RestoreProgress everyTime =
        new RestoreProgress(new PrintStream(log, true, StandardCharsets.UTF_8), 0);
    everyTime.onRestoreStart(CHANGELOG, "store", 0, 300);
    Thread.sleep(5);
    everyTime.onBatchRestored(CHANGELOG, "store", 100, 100);
    String text = log.toString(StandardCharsets.UTF_8);
    assertTrue(
        text.contains(
            "restoring store store from app-store-changelog-1: 100 of up to 300 records ("),
        text);
    assertTrue(text.contains("records/s)"), text);
  }

  @Test
  void shouldLogTheStartAndEndOfEachPartitionsRestore() {
    progress.onRestoreStart(CHANGELOG, "store", 0, 10);
    progress.onRestoreEnd(CHANGELOG, "store", 10);
    String text = log.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("restoring store store from app-store-changelog-1: up to 10"), text);
    assertTrue(
        text.contains("restored store store from app-store-changelog-1: 10 records in"), text);
    assertTrue(text.contains("records/s)"), text);
  }
}
