package dev.tapegrad.rnn.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --checkpoint} option of {@code sample} and {@code eval}, a picocli mixin. */
final class CheckpointOption {

  @Option(names = "--checkpoint", paramLabel = "DIR_OR_FILE",
      description = "A run directory or a model.safetensors file (default: the newest run under ./runs).")
  private Path checkpoint;

  /**
   * Returns the checkpoint to load: the one given, or the newest run under {@code ./runs}.
   *
   * @return a run directory or a model file
   * @throws IllegalArgumentException if the one given does not exist, or none was given and there is no run
   */
  Path resolve() {
    return Runs.resolveCheckpoint(checkpoint);
  }
}
