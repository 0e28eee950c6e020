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
import java.util.TreeMap;

/**
 * The files of a training run's output directory besides the checkpoint: {@value #METRICS}, one
 * JSON object per line (the training curve, each validation measurement, each epoch's end and the
 * run's end), and {@value #PLOT}, the curve drawn from it. Every file is replaced atomically
 * (written to a temporary file in the same directory, synced, renamed), so an interrupted run never
 * leaves a torn file; since the curve is on disk, the plot of a resumed run covers the whole run.
 */
public final class RunFiles {

  /** The metrics file's name. */
  public static final String METRICS = "metrics.jsonl";
  /** The loss plot's name. */
  public static final String PLOT = "loss.svg";
  /** The run's resolved settings, readable JSON that {@code train --config} takes. */
  public static final String SETTINGS = "settings.json";
  /** A copy of what {@code train} printed on standard output, every session of the run one after another. */
  public static final String LOG = "train.log";

  /** The files a run writes in its directory (besides the lock). */
  static final List<String> RUN_FILES = List.of(Checkpoint.MODEL_FILE, Checkpoint.BEST_MODEL_FILE,
      Checkpoint.STATE_FILE, Checkpoint.PREVIOUS_STATE_FILE, METRICS, PLOT, SETTINGS, LOG);

  private RunFiles() {}

  /**
   * A point of the training curve.
   *
   * @param step the step it was taken at
   * @param epoch the epoch that step belongs to, from 1
   * @param trainLoss the mean training loss per character of the steps since the previous point, nats
   * @param learningRate the learning rate of the step
   */
  public record LossPoint(long step, int epoch, double trainLoss, double learningRate) {}

  /**
   * Appends the curve's points, then one epoch or end-of-run record, to the metrics file
   * (rewriting it atomically, once).
   *
   * @param dir the run directory
   * @param points the curve's points since the last write
   * @param report the epoch or end-of-run report
   */
  public static void appendMetrics(Path dir, List<LossPoint> points, EpochReport report) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", report.endOfRun() ? "end" : "epoch");
    m.put("epoch", report.epoch());
    m.put("step", report.step());
    m.put("chars", report.chars());
    m.put("train_loss", finiteOrNull(report.trainLoss()));
    m.put("train_bpc", finiteOrNull(report.trainLoss() / Math.log(2)));
    m.put("val_loss", finiteOrNull(report.valLoss()));
    m.put("val_bpc", finiteOrNull(report.valLoss() / Math.log(2)));
    m.put("lr", finiteOrNull(report.learningRate()));
    m.put("chars_per_s", finiteOrNull(report.charsPerSecond()));
    m.put("elapsed_s", finiteOrNull(report.elapsedSeconds()));
    append(dir, points, m);
  }

  /**
   * Appends one epoch or end-of-run record to the metrics file (rewriting it atomically).
   *
   * @param dir the run directory
   * @param report the epoch or end-of-run report
   */
  public static void appendMetrics(Path dir, EpochReport report) {
    appendMetrics(dir, List.of(), report);
  }

  /**
   * Appends the curve's points, then one validation record, to the metrics file (rewriting it
   * atomically, once).
   *
   * @param dir the run directory
   * @param points the curve's points since the last write
   * @param report the validation measurement
   */
  public static void appendValidation(Path dir, List<LossPoint> points, ValidationReport report) {
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
    append(dir, points, m);
  }

  /**
   * Appends one validation record to the metrics file (rewriting it atomically).
   *
   * @param dir the run directory
   * @param report the validation measurement
   */
  public static void appendValidation(Path dir, ValidationReport report) {
    appendValidation(dir, List.of(), report);
  }

  /**
   * Appends the record that opens a session of the run: {@code "event": "start"}, the step it starts
   * at, and what it was made with (the settings, the version, Java and the kernels), so that a
   * run's metrics say how it was made from their first line.
   *
   * @param dir the run directory
   * @param step the step the session starts at (0 for a new run)
   * @param about what the run was made with, as JSON values by key
   */
  public static void appendStart(Path dir, long step, Map<String, Object> about) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", "start");
    m.put("step", step);
    m.putAll(about);
    append(dir, List.of(), m);
  }

  /**
   * Writes readable JSON, one member per line (atomically): a run's {@value #SETTINGS}.
   *
   * @param file the file
   * @param members the members, JSON values by key, in order
   */
  public static void writeJsonLines(Path file, Map<String, Object> members) {
    StringBuilder text = new StringBuilder("{\n");
    int i = 0;
    for (Map.Entry<String, Object> e : members.entrySet()) {
      text.append("  ").append(Json.write(e.getKey())).append(": ").append(Json.write(e.getValue()))
          .append(++i < members.size() ? ",\n" : "\n");
    }
    writeAtomically(file, text.append("}\n").toString());
  }

  /**
   * Appends the curve's points to the metrics file (rewriting it atomically), if there are any.
   *
   * @param dir the run directory
   * @param points the curve's points since the last write
   */
  public static void appendLoss(Path dir, List<LossPoint> points) {
    if (!points.isEmpty()) {
      append(dir, points, null);
    }
  }

  private static void append(Path dir, List<LossPoint> points, Map<String, Object> record) {
    Path file = dir.resolve(METRICS);
    StringBuilder text = new StringBuilder();
    try {
      if (Files.exists(file)) {
        text.append(Files.readString(file, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    for (LossPoint p : points) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("event", "step");
      m.put("epoch", p.epoch());
      m.put("step", p.step());
      m.put("train_loss", finiteOrNull(p.trainLoss()));
      m.put("train_bpc", finiteOrNull(p.trainLoss() / Math.log(2)));
      m.put("lr", finiteOrNull(p.learningRate()));
      text.append(Json.write(m)).append('\n');
    }
    if (record != null) {
      text.append(Json.write(record)).append('\n');
    }
    writeAtomically(file, text.toString());
  }

  /**
   * Starts a resumed run's metrics in {@code to} with the records of the run in {@code from} up
   * to the checkpoint's step, so that its curve covers the whole run. In the same directory this
   * drops the records a killed run wrote after its last checkpoint, which would otherwise come
   * twice.
   *
   * @param from the directory of the run resumed
   * @param to the directory the resumed run writes
   * @param step the step of the checkpoint resumed from
   * @return how many records of {@code from} were left out
   */
  public static int resumeMetrics(Path from, Path to, long step) {
    List<Map<String, Object>> records = readMetrics(from);
    List<Map<String, Object>> kept = records.stream()
        .filter(r -> !(r.get("step") instanceof Number s) || s.longValue() <= step).toList();
    boolean same;
    try {
      // Symbolic links followed: a link to the run is the run.
      same = Files.exists(to) ? Files.isSameFile(from, to)
          : from.toAbsolutePath().normalize().equals(to.toAbsolutePath().normalize());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot compare " + from + " with " + to + ": " + e.getMessage(), e);
    }
    if (same ? kept.size() < records.size() : !kept.isEmpty()) {
      StringBuilder text = new StringBuilder();
      kept.forEach(r -> text.append(Json.write(r)).append('\n'));
      writeAtomically(to.resolve(METRICS), text.toString());
    }
    return records.size() - kept.size();
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
   * Redraws the loss plot from the metrics file: the curve's points, the training loss of each
   * epoch, the validation losses (each step's once) and the learning rate.
   *
   * @param dir the run directory
   */
  public static void writePlot(Path dir) {
    List<double[]> steps = new ArrayList<>();
    List<double[]> rates = new ArrayList<>();
    List<double[]> train = new ArrayList<>();
    Map<Long, Double> val = new TreeMap<>();
    for (Map<String, Object> r : readMetrics(dir)) {
      if (!(r.get("step") instanceof Number n)) {
        continue;
      }
      long step = n.longValue();
      Object event = r.get("event");
      if ("step".equals(event)) {
        if (r.get("train_loss") instanceof Number t) {
          steps.add(new double[] {step, t.doubleValue()});
        }
        if (r.get("lr") instanceof Number lr) {
          rates.add(new double[] {step, lr.doubleValue()});
        }
        continue;
      }
      if (!"validation".equals(event) && r.get("train_loss") instanceof Number t) {
        train.add(new double[] {step, t.doubleValue()});
      }
      if (r.get("val_loss") instanceof Number v) {
        // At an epoch's end the validation record and the epoch record hold the same measurement.
        val.putIfAbsent(step, v.doubleValue());
      }
    }
    List<double[]> valPoints = val.entrySet().stream().map(e -> new double[] {e.getKey(), e.getValue()}).toList();
    writeAtomically(dir.resolve(PLOT), LossPlot.svg(steps, train, valPoints, rates));
  }

  /**
   * Deletes a run's files from its directory, to replace it with another: the model, the best
   * model, the training state, the metrics, the plot and the temporary files of an interrupted save.
   * Other files, and the lock, stay.
   *
   * @param dir the run directory
   * @return the names of the files deleted, in that order
   * @throws UncheckedIOException if one cannot be deleted
   */
  public static List<String> deleteRun(Path dir) {
    List<String> deleted = new ArrayList<>();
    for (String name : RUN_FILES) {
      try {
        if (Files.deleteIfExists(dir.resolve(name))) {
          deleted.add(name);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove " + dir.resolve(name) + ": " + e.getMessage(), e);
      }
    }
    deleteLeftovers(dir);
    return deleted;
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
    for (String name : RUN_FILES) {
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

  /**
   * A value for the metrics: null for NaN or infinity, else as a float, written in the fewest
   * digits that read back as it ({@link Float#toString}): {@code 0.003}, not the
   * {@code 0.003000000026077032} of the double that float widens to. Losses are means of float
   * losses, and the rates are the float Adam steps with, so no digit that means anything is lost.
   */
  private static Object finiteOrNull(double v) {
    return Double.isFinite(v) ? (Object) (float) v : null;
  }
}
