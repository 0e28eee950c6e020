package dev.tapegrad.rnn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --checkpoint} option of {@code sample} and {@code eval}, a picocli mixin. */
final class CheckpointOption {

  @Option(names = "--checkpoint", paramLabel = "DIR_OR_FILE",
      description = "A run directory or a model.safetensors file (default: the newest run under ./runs).")
  private Path checkpoint;

  /**
   * Returns the checkpoint to load: the one given, or the newest run under {@code ./runs}, which
   * it names on {@code err}, so that the user knows which model speaks.
   *
   * @param err where to say which run was chosen
   * @return a run directory or a model file
   * @throws IllegalArgumentException if the one given does not exist, or none was given and there is no run
   */
  Path resolve(PrintWriter err) {
    Path chosen = Runs.resolveCheckpoint(checkpoint);
    if (checkpoint == null) {
      err.println("using " + chosen + ", the newest run under ./" + Runs.RUNS + " (--checkpoint chooses another)");
      err.flush();
    }
    return chosen;
  }
}
