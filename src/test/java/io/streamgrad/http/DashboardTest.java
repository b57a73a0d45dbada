package io.streamgrad.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgrad.service.RestoreProgress.Restoring;
import io.streamgrad.stream.StreamMetrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DashboardTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void shouldShowTheRestoresInTheStatusEvent() throws Exception {
    List<Restoring> restoring = new ArrayList<>();
    Dashboard dashboard =
        new Dashboard(null, new StreamMetrics(), () -> restoring); // the status needs no feed
    assertEquals(0, JSON.readTree(dashboard.status()).get("restoring").size());

    restoring.add(new Restoring("models", "app-models-changelog", 3, 120, 400));
    JsonNode shown = JSON.readTree(dashboard.status()).get("restoring");
    assertEquals(1, shown.size());
    assertEquals("models", shown.get(0).get("store").asText());
    assertEquals("app-models-changelog", shown.get(0).get("topic").asText());
    assertEquals(3, shown.get(0).get("partition").asInt());
    assertEquals(120, shown.get(0).get("restored").asLong());
    assertEquals(400, shown.get(0).get("total").asLong());
  }
}
