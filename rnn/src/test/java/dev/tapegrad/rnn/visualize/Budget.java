package dev.tapegrad.rnn.visualize;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The page's size and speed budget: 2,000 characters and 512 units per layer. The text is Java
 * code, 2,000 characters of the corpus embedded in rnn.jar (Tapegrad's own core sources), from
 * {@code CellKind}: it has quotes, brackets, words, capitals and lines of every length.
 */
final class Budget {

  /** Characters on the page. */
  static final int CHARS = 2_000;
  /** Units per layer. */
  static final int UNITS = 512;
  /** The largest page, in bytes. */
  static final long MAX_BYTES = 10_000_000;

  private Budget() {}

  /** {@return {@value #CHARS} characters of the embedded corpus} */
  static String text() {
    try (InputStream in = Budget.class.getResourceAsStream("/corpus/tapegrad-core-sources.txt")) {
      String corpus = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int from = corpus.indexOf("public enum CellKind");
      return corpus.substring(from, corpus.offsetByCodePoints(from, CHARS));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
