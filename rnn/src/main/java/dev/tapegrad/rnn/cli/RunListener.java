package dev.tapegrad.rnn.cli;

import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.checkpoint.Checkpoint;
import dev.tapegrad.rnn.checkpoint.RunFiles;
import dev.tapegrad.rnn.sample.Sampler;
import dev.tapegrad.rnn.text.CharVocabulary;
import dev.tapegrad.rnn.train.EpochReport;
import dev.tapegrad.rnn.train.StepReport;
import dev.tapegrad.rnn.train.Trainer;
import dev.tapegrad.rnn.train.ValidationReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code train} does as its run goes: draws the progress line, gathers the training curve,
 * saves the run (every {@code --save-every} steps, at each epoch's end, the best model at each new
 * best, and a first checkpoint at the first validation), writes the metrics and the plot, and
 * prints each validation and epoch line.
 *
 * <p>It also remembers the last good checkpoint, which a diverged run names.
 */
final class RunListener implements Trainer.Listener {

  /** Points of the training curve per epoch, written to the metrics and drawn in the plot. */
  static final int CURVE_POINTS_PER_EPOCH = 50;

  private final Path dir;
  private final CharModel model;
  private final CharVocabulary vocab;
  private final Trainer trainer;
  private final Map<String, String> settings;
  private final long saveEvery;
  private final RunConsole console;
  private final ProgressReporter progress;
  /** A point of the curve every this many characters: a fiftieth of an epoch's. */
  private final long charsPerPoint;
  private final List<RunFiles.LossPoint> curve = new ArrayList<>();
  private double smoothed = Double.NaN;
  private double curveNats;
  private long curveChars;
  private long charsBefore;
  private long lastSaved;
  private Path savedIn;

  /**
   * Listens to a run.
   *
   * @param dir the run directory, locked by this process
   * @param model the model trained
   * @param vocab its vocabulary
   * @param trainer the trainer, for its state and epoch length
   * @param settings the run's settings, saved with each checkpoint
   * @param saveEvery save every this many steps besides epoch ends (0: never)
   * @param trainChars the training text's length, for the curve's spacing
   * @param console where the lines go
   * @param progress the progress line
   * @param resumedFrom the run directory resumed from, or null for a new run
   * @param resumedStep the step resumed from (ignored for a new run)
   */
  RunListener(Path dir, CharModel model, CharVocabulary vocab, Trainer trainer, Map<String, String> settings,
      long saveEvery, long trainChars, RunConsole console, ProgressReporter progress, Path resumedFrom,
      long resumedStep) {
    this.dir = dir;
    this.model = model;
    this.vocab = vocab;
    this.trainer = trainer;
    this.settings = settings;
    this.saveEvery = saveEvery;
    this.console = console;
    this.progress = progress;
    // A short step (the rest of a stateful epoch) joins the next point instead of making one of its own.
    this.charsPerPoint = Math.max(1, trainChars / CURVE_POINTS_PER_EPOCH);
    this.charsBefore = trainer.chars();
    this.lastSaved = resumedFrom != null ? resumedStep : -1;
    this.savedIn = resumedFrom;
  }

  /** {@return the step of the last good checkpoint, or −1 if none was saved or resumed from} */
  long lastSaved() {
    return lastSaved;
  }

  /** {@return the directory of the last good checkpoint, or null} */
  Path savedIn() {
    return savedIn;
  }

  @Override
  public void onStep(StepReport r) {
    smoothed = Double.isNaN(smoothed) ? r.loss() : 0.95 * smoothed + 0.05 * r.loss();
    // The curve's point: the mean loss per character since the last one, as an epoch's is.
    curveNats += r.loss() * (r.chars() - charsBefore);
    curveChars += r.chars() - charsBefore;
    charsBefore = r.chars();
    if (curveChars >= charsPerPoint) {
      curve.add(new RunFiles.LossPoint(r.step(), r.epoch(), curveNats / curveChars, r.learningRate()));
      curveNats = 0;
      curveChars = 0;
    }
    progress.update(r, smoothed);
    // An epoch's end saves anyway, in onEpoch.
    if (saveEvery > 0 && r.step() % saveEvery == 0 && !epochEnd(r.step())) {
      save(r.step(), r.elapsedSeconds());
      RunFiles.appendLoss(dir, drainCurve());
      RunFiles.writePlot(dir);
    }
  }

  @Override
  public void onValidation(ValidationReport r) {
    if (r.improved()) {
      Checkpoint.saveModel(dir.resolve(Checkpoint.BEST_MODEL_FILE), model, vocab, r.step());
    }
    // The first measurement before any checkpoint in this directory saves one, so that a run killed
    // after it can be resumed (an epoch's end saves anyway, in onEpoch).
    if ((savedIn == null || !TrainCommand.samePlace(dir, savedIn)) && !epochEnd(r.step())) {
      save(r.step(), r.elapsedSeconds());
    }
    RunFiles.appendValidation(dir, drainCurve(), r);
    if (!epochEnd(r.step())) {
      progress.clear();
      FittedLine line = new FittedLine().field(String.format(Locale.ROOT, "validation at step %,d", r.step()), 0);
      TrainCommand.loss(line, "val", r.valLoss());
      if (r.improved()) {
        line.field("new best, saved " + Checkpoint.BEST_MODEL_FILE, 2);
      } else {
        TrainCommand.loss(line, "best", r.bestValLoss()).detail(", " + r.evalsSinceBest() + " without improvement", 2);
      }
      console.line(line);
      console.flush();
    }
  }

  @Override
  public void onEpoch(EpochReport r) {
    progress.clear();
    if (!r.endOfRun()) {
      FittedLine line = new FittedLine().field("epoch " + r.epoch(), 0)
          .field(String.format(Locale.ROOT, "step %,d", r.step()), 3);
      TrainCommand.loss(line, "train", r.trainLoss());
      TrainCommand.loss(line, "val", r.valLoss());
      line.field(String.format(Locale.ROOT, "%,.0f chars/s", r.charsPerSecond()), 2)
          .field(TrainCommand.duration(r.elapsedSeconds()), 1);
      console.line(line);
      if (!r.sample().isEmpty()) {
        console.line(String.format(Locale.ROOT, "  sample (temperature %s, seed %d, as 'sample' writes it):",
            Sampler.DEFAULT_TEMPERATURE, Sampler.DEFAULT_SEED));
        // The default prime is a newline: the sample starts on a line of its own anyway.
        String text = r.sample().startsWith("\n") ? r.sample().substring(1) : r.sample();
        for (String l : text.split("\n", -1)) {
          console.verbatim("    " + l);
        }
      }
      console.flush();
    }
    save(r.step(), r.elapsedSeconds());
    RunFiles.appendMetrics(dir, drainCurve(), r);
    RunFiles.writePlot(dir);
  }

  /** Saves the checkpoint, the pair of model and training state, and remembers it as the last good one. */
  private void save(long step, double elapsedSeconds) {
    Checkpoint.save(dir, model, vocab, trainer.state(elapsedSeconds), settings);
    lastSaved = step;
    savedIn = dir;
  }

  private boolean epochEnd(long step) {
    return step % trainer.stepsPerEpoch() == 0;
  }

  /** Takes the curve's points gathered so far, leaving none. */
  private List<RunFiles.LossPoint> drainCurve() {
    List<RunFiles.LossPoint> taken = List.copyOf(curve);
    curve.clear();
    return taken;
  }
}
