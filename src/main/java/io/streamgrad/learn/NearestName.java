package io.streamgrad.learn;

import java.util.Locale;
import java.util.Optional;

/**
 * The known name closest to a misspelt one, for "did you mean ...?" in the messages of the model
 * file and the configuration. A typo that silently falls back to a default (a learning rate of 0.01
 * for {@code "learningrate": 0.05}) is the failure this exists to prevent, so the suggestion has to
 * catch the usual typos: a missing, extra or wrong character, and two neighbours swapped.
 */
public final class NearestName {
  private NearestName() {}

  /**
   * The known name nearest to {@code name}, if one is near enough to be a likely typo: at most one
   * edit per three characters of the longer name (at least one), letter case ignored. Ties go to
   * the first in {@code known}'s order, so the message does not depend on a hash order.
   */
  public static Optional<String> of(String name, Iterable<String> known) {
    String lower = name.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int distance = distance(lower, candidate.toLowerCase(Locale.ROOT));
      int allowed = Math.max(1, Math.max(lower.length(), candidate.length()) / 3);
      if (distance <= allowed && distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  /** "; did you mean X?" when a known name is near, else the empty string: for messages. */
  public static String suggestion(String name, Iterable<String> known) {
    return of(name, known).map(n -> "; did you mean " + n + "?").orElse("");
  }

  /**
   * Edit distance with transpositions (optimal string alignment): insertions, deletions,
   * substitutions and swaps of two neighbours cost one each, so "minibtach" is one edit from
   * "minibatch", as a person would count it.
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
