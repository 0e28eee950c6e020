package dev.tapegrad.rnn.cli;

import dev.tapegrad.rnn.checkpoint.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds checkpoints: the one named, or the newest run under {@code ./runs}. */
final class Runs {

  /** Where {@code train} puts runs by default. */
  static final Path RUNS = Path.of("runs");

  private Runs() {}

  /**
   * Returns {@code given}, or the newest run directory under {@code ./runs} holding a model.
   *
   * @param given the --checkpoint value, or null
   * @return the checkpoint to load
   */
  static Path resolveCheckpoint(Path given) {
    if (given != null) {
      if (!Files.exists(given)) {
        throw new IllegalArgumentException("checkpoint " + given + " does not exist");
      }
      if (!Files.isDirectory(given) && !Files.isRegularFile(given)) {
        // A pipe would block the reader until something writes to it.
        throw new IllegalArgumentException("checkpoint " + given + " is not a file or a directory (a pipe or a device?); "
            + "give a run directory or a .safetensors file");
      }
      return given;
    }
    if (!Files.isDirectory(RUNS)) {
      throw new IllegalArgumentException("no --checkpoint given and no ./runs directory; train a model first or pass "
          + "--checkpoint DIR_OR_FILE");
    }
    try (Stream<Path> dirs = Files.list(RUNS)) {
      Optional<Path> newest = dirs.filter(d -> Files.isRegularFile(d.resolve(Checkpoint.MODEL_FILE)))
          .max(Comparator.comparing(Runs::modified));
      return newest.orElseThrow(() -> new IllegalArgumentException(
          "no --checkpoint given and no run with a " + Checkpoint.MODEL_FILE + " under ./runs"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list ./runs: " + e.getMessage(), e);
    }
  }

  private static FileTime modified(Path dir) {
    try {
      return Files.getLastModifiedTime(dir.resolve(Checkpoint.MODEL_FILE));
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }
}
