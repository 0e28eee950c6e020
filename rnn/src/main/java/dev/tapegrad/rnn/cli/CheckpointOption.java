package dev.tapegrad.rnn.cli;

import dev.tapegrad.io.SafetensorsFormatException;
import dev.tapegrad.rnn.checkpoint.Checkpoint;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --checkpoint} option of {@code sample}, {@code eval} and {@code visualize}, a picocli mixin. */
final class CheckpointOption {

  private static final String NEWEST = "the newest run under ./" + Runs.RUNS;

  @Option(names = "--checkpoint", paramLabel = "DIR_OR_FILE",
      description = "A run directory or a model.safetensors file (default: the newest run under ./runs). "
          + "sample and visualize take a run's best-model.safetensors when it has one.")
  private Path checkpoint;

  /**
   * A checkpoint chosen for a command, and the line that says which, if there is one to say. A
   * command {@linkplain #announce announces} it once its own input is checked, so that a refused
   * input still gives one line, the error.
   *
   * @param path a run directory or a model file
   * @param note what to tell the user about the choice, or null when it is the one they named
   */
  record Chosen(Path path, String note) {

    /**
     * Loads the model. A run's best model that does not load (a damaged file) is reported with the
     * way on: the run's last weights, when they load, named as the checkpoint to use instead.
     *
     * @return the model
     * @throws IllegalArgumentException as {@link Checkpoint#loadModel} does
     */
    Checkpoint.Loaded load() {
      try {
        return Checkpoint.loadModel(path);
      } catch (SafetensorsFormatException e) {
        Path last = path.resolveSibling(Checkpoint.MODEL_FILE);
        if (!path.getFileName().toString().equals(Checkpoint.BEST_MODEL_FILE) || !Files.isRegularFile(last)) {
          throw e;
        }
        try {
          Checkpoint.loadModel(last);
        } catch (RuntimeException alsoDamaged) {
          throw e;
        }
        throw new SafetensorsFormatException(e.getMessage() + "; the run's last weights in " + last + " are intact: "
            + "pass --checkpoint " + last + " to use them", e);
      }
    }

    /** Prints {@link #note}, if any, on {@code err}. */
    void announce(PrintWriter err) {
      if (note != null) {
        err.println(note);
        err.flush();
      }
    }
  }

  /**
   * Returns the checkpoint to load: the one given, or the newest run under {@code ./runs}, with a
   * note naming it, so that the user knows which model speaks.
   *
   * @return the run directory or model file, and the note when none was given
   * @throws IllegalArgumentException if the one given does not exist, or none was given and there is no run
   */
  Chosen resolve() {
    Path chosen = Runs.resolveCheckpoint(checkpoint);
    return new Chosen(chosen, checkpoint == null ? "using " + chosen + ": " + NEWEST : null);
  }

  /**
   * Returns the model to generate from: as {@link #resolve}, except that a run directory with a
   * {@value Checkpoint#BEST_MODEL_FILE} gives that file, the weights at the run's lowest validation
   * loss, with a note that says so. A run that trained past its best (a model that overfits) thus
   * still samples its best. {@code eval} does not do this: the best model was chosen on the
   * held-out text, and measuring it there would flatter it.
   *
   * @return a model file, or a run directory without a best model, and the note
   * @throws IllegalArgumentException as {@link #resolve}
   */
  Chosen resolveBest() {
    Path run = Runs.resolveCheckpoint(checkpoint);
    Path best = run.resolve(Checkpoint.BEST_MODEL_FILE);
    if (!Files.isDirectory(run) || !Files.isRegularFile(best)) {
      return resolve();
    }
    return new Chosen(best, "using " + best + (checkpoint == null ? ": the newest run's best model"
        : ": the run's best model"));
  }
}
