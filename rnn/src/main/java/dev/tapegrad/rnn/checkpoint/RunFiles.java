package dev.tapegrad.rnn.checkpoint;

import dev.tapegrad.io.AtomicFile;
import dev.tapegrad.io.Json;
import dev.tapegrad.rnn.train.EpochReport;
import dev.tapegrad.rnn.train.ValidationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a training run's output directory besides the checkpoint: {@value #METRICS}
 * (one JSON object per validation measurement, per epoch and at the end of the run) and {@value #PLOT} (the loss curve).
 * Every file is replaced atomically (written to a temporary file in the same directory, synced,
 * renamed), so an interrupted run never leaves a torn file.
 */
public final class RunFiles {

  /** The metrics file's name. */
  public static final String METRICS = "metrics.jsonl";
  /** The loss plot's name. */
  public static final String PLOT = "loss.svg";

  private RunFiles() {}

  /**
   * Appends one record to the metrics file (rewriting it atomically).
   *
   * @param dir the run directory
   * @param report the epoch or end-of-run report
   */
  public static void appendMetrics(Path dir, EpochReport report) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", report.endOfRun() ? "end" : "epoch");
    m.put("epoch", report.epoch());
    m.put("step", report.step());
    m.put("chars", report.chars());
    m.put("train_loss", finiteOrNull(report.trainLoss()));
    m.put("train_bpc", finiteOrNull(report.trainLoss() / Math.log(2)));
    m.put("val_loss", finiteOrNull(report.valLoss()));
    m.put("val_bpc", finiteOrNull(report.valLoss() / Math.log(2)));
    m.put("chars_per_s", finiteOrNull(report.charsPerSecond()));
    m.put("elapsed_s", finiteOrNull(report.elapsedSeconds()));
    append(dir, m);
  }

  /**
   * Appends one validation record to the metrics file (rewriting it atomically).
   *
   * @param dir the run directory
   * @param report the validation measurement
   */
  public static void appendValidation(Path dir, ValidationReport report) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", "validation");
    m.put("step", report.step());
    m.put("chars", report.chars());
    m.put("val_loss", finiteOrNull(report.valLoss()));
    m.put("val_bpc", finiteOrNull(report.valLoss() / Math.log(2)));
    m.put("best_val_loss", finiteOrNull(report.bestValLoss()));
    m.put("best_val_bpc", finiteOrNull(report.bestValLoss() / Math.log(2)));
    m.put("improved", report.improved());
    m.put("elapsed_s", finiteOrNull(report.elapsedSeconds()));
    append(dir, m);
  }

  private static void append(Path dir, Map<String, Object> m) {
    Path file = dir.resolve(METRICS);
    String old = "";
    try {
      if (Files.exists(file)) {
        old = Files.readString(file, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    writeAtomically(file, old + Json.write(m) + "\n");
  }

  /**
   * Reads the metrics records written so far (an absent file gives none).
   *
   * @param dir the run directory
   * @return the records, in order
   */
  public static List<Map<String, Object>> readMetrics(Path dir) {
    Path file = dir.resolve(METRICS);
    List<Map<String, Object>> records = new ArrayList<>();
    if (!Files.exists(file)) {
      return records;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          records.add(Json.parseObject(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + " is not valid JSON lines: " + e.getMessage(), e);
    }
    return records;
  }

  /**
   * Redraws the loss plot from the metrics records and the current session's step losses.
   *
   * @param dir the run directory
   * @param stepLosses (step, smoothed training loss) pairs from this session
   */
  public static void writePlot(Path dir, List<double[]> stepLosses) {
    List<double[]> train = new ArrayList<>();
    List<double[]> val = new ArrayList<>();
    for (Map<String, Object> r : readMetrics(dir)) {
      if (r.get("step") instanceof Number step) {
        if (r.get("train_loss") instanceof Number t) {
          train.add(new double[] {step.doubleValue(), t.doubleValue()});
        }
        if (r.get("val_loss") instanceof Number v) {
          val.add(new double[] {step.doubleValue(), v.doubleValue()});
        }
      }
    }
    writeAtomically(dir.resolve(PLOT), LossPlot.svg(stepLosses, train, val));
  }

  /**
   * Deletes the temporary files that saves interrupted by a kill left in a run directory (see
   * {@link AtomicFile#deleteLeftovers}); the run's own files are never touched.
   *
   * @param dir the run directory
   * @return how many were deleted
   */
  public static int deleteLeftovers(Path dir) {
    int deleted = 0;
    for (String name : List.of(Checkpoint.MODEL_FILE, Checkpoint.BEST_MODEL_FILE, Checkpoint.STATE_FILE,
        Checkpoint.PREVIOUS_STATE_FILE, METRICS, PLOT)) {
      deleted += AtomicFile.deleteLeftovers(dir.resolve(name));
    }
    return deleted;
  }

  /**
   * Replaces {@code file} with {@code text}: temporary file in the same directory, fsync, rename.
   *
   * @param file the target
   * @param text the new content
   */
  public static void writeAtomically(Path file, String text) {
    AtomicFile.write(file, text.getBytes(StandardCharsets.UTF_8));
  }


  private static Object finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
