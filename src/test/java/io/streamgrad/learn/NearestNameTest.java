package io.streamgrad.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NearestNameTest {
  private static final List<String> OPTIMIZER =
      List.of("type", "learning_rate", "momentum", "nesterov", "weight_decay");

  @Test
  void shouldSuggestTheNameOneCharacterAway() {
    assertEquals(Optional.of("learning_rate"), NearestName.of("learningrate", OPTIMIZER));
  }

  @Test
  void shouldCountTwoSwappedNeighboursAsOneEdit() {
    assertEquals(1, NearestName.distance("minibtach", "minibatch"));
  }

  @Test
  void shouldIgnoreLetterCase() {
    assertEquals(Optional.of("momentum"), NearestName.of("Momentum", OPTIMIZER));
  }

  @Test
  void shouldSuggestNothingWhenNoNameIsClose() {
    assertEquals(Optional.empty(), NearestName.of("dropout", OPTIMIZER));
  }

  @Test
  void shouldPreferTheCloserOfTwoCandidates() {
    assertEquals(
        Optional.of("http.port"), NearestName.of("http.prot", List.of("http.host", "http.port")));
  }

  @Test
  void shouldPhraseTheSuggestionForAMessage() {
    assertEquals("; did you mean nesterov?", NearestName.suggestion("nestrov", OPTIMIZER));
    assertEquals("", NearestName.suggestion("epochs", OPTIMIZER));
  }
}
