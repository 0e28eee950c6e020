package dev.tapegrad.rnn.cli;

import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.checkpoint.Checkpoint;
import dev.tapegrad.rnn.checkpoint.RunFiles;
import dev.tapegrad.rnn.text.CharVocabulary;
import dev.tapegrad.rnn.text.EncodedText;
import dev.tapegrad.rnn.text.TextFile;
import dev.tapegrad.rnn.train.EpochReport;
import dev.tapegrad.rnn.train.StepReport;
import dev.tapegrad.rnn.train.TrainConfig;
import dev.tapegrad.rnn.train.TrainPreset;
import dev.tapegrad.rnn.train.Trainer;
import dev.tapegrad.rnn.train.TrainingDivergedException;
import dev.tapegrad.rnn.train.ValidationReport;
import dev.tapegrad.tensor.Backend;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rnn train}: trains a char model and saves it, with its metrics and loss plot.
 *
 * <p>The run is saved at every epoch's end, every {@code --save-every} steps, at its end, and when
 * a stop signal arrives (see {@link StopSignals}); each save replaces the model and training state
 * as a matching pair ({@link Checkpoint#save}). A diverging run (a NaN or infinite loss or gradient)
 * stops without saving, so the last good checkpoint stays, and the error suggests a smaller
 * {@code --clip} and a lower {@code --lr}.
 *
 * <p>Its options are the ones below, then one per setting of {@link TrainSettings} (added by
 * {@link TrainSettings.Options}), then {@code --threads}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    modelTransformer = TrainSettings.Options.class,
    description = {"Train a character-level GRU, LSTM or RNN on a text file (or, with no --data, on Tapegrad's own",
        "Java sources). Defaults come from a preset (see --preset); every flag overrides its preset's value.", ""},
    footer = {"", "Examples:",
        "  java -jar rnn.jar train                                   # embedded corpus, small model, ~2 minutes",
        "  java -jar rnn.jar train --data input.txt --minutes 15 --out runs/shakespeare",
        "  java -jar rnn.jar train --data input.txt --preset notebook --minutes 10   # the notebook's settings",
        "  java -jar rnn.jar train --data input.txt --cell lstm --layers 2 --dropout 0.2 --minutes 15",
        "  java -jar rnn.jar train --resume runs/shakespeare --minutes 20   # continue to 20 minutes in all",
        "",
        "Ctrl-C or SIGTERM stops after the current step, saves the run and exits with 130 or 143;",
        "a second Ctrl-C quits at once, keeping the last complete checkpoint."})
final class TrainCommand implements Callable<Integer> {

  /** The corpus packed into the jar at build time: Tapegrad's core sources, concatenated. */
  static final String EMBEDDED_CORPUS = "/corpus/tapegrad-core-sources.txt";

  @Spec
  private CommandSpec spec;

  @Option(names = "--data", paramLabel = "FILE", description = "UTF-8 text to train on (default: the embedded corpus).")
  private Path data;

  @Option(names = "--out", paramLabel = "DIR", description = "Where to save the run (default: runs/NAME-TIMESTAMP).")
  private Path out;

  @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run saved in DIR.")
  private Path resume;

  @Option(names = "--force", description = "Overwrite a run already in --out.")
  private boolean force;

  @Option(names = "--preset", paramLabel = "NAME", description = "Starting settings: notebook (the PyTorch notebook's), "
      + "data (the default with --data, see docs/TRAINING.md) or embedded (the default without --data).")
  private String preset;

  @Mixin
  private ThreadsOption threads;

  @Override
  public Integer call() throws Exception {
    return threads.run(this::train);
  }

  /** The command's work; runs in the pool of {@code --threads}, so its first line names its threads. */
  private int train() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    Map<TrainSettings.Setting<?>, Object> given = TrainSettings.given(spec);
    Map<String, String> saved = Map.of();
    Checkpoint.Loaded loaded = null;
    Checkpoint.LoadedState loadedState = null;
    if (resume != null) {
      loaded = Checkpoint.loadModel(resume);
      loadedState = Checkpoint.loadState(resume.resolve(Checkpoint.STATE_FILE), loaded.model(), loaded.step());
      saved = loadedState.settings();
      String savedData = saved.get(TrainSettings.DATA);
      if (data == null && savedData != null && !"embedded".equals(savedData)) {
        data = Path.of(savedData);
      }
    }
    boolean embedded = data == null;
    // A run saved before presets existed was trained with the notebook's settings (or the embedded
    // ones); its saved settings say so only for the flags that existed then.
    TrainPreset chosen = preset != null ? TrainPreset.parse(preset)
        : saved.containsKey(TrainSettings.PRESET) ? TrainPreset.parse(saved.get(TrainSettings.PRESET))
        : embedded ? TrainPreset.EMBEDDED
        : resume != null ? TrainPreset.NOTEBOOK : TrainPreset.DATA;
    TrainSettings.Values values = TrainSettings.merge(given, saved, chosen);
    TrainConfig config = values.config();
    if (loaded != null) {
      CharModel m = loaded.model();
      if (m.cell() != config.cell() || m.hidden() != config.hidden() || m.layers() != config.layers()) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "the run in %s is a %d-layer %s of width %d; "
            + "--cell, --hidden and --layers cannot change when resuming", resume, m.layers(), m.cell().id(),
            m.hidden()));
      }
    }
    long every = values.saveEvery();

    EncodedText all;
    String dataName;
    if (embedded) {
      String text = embeddedCorpus();
      all = EncodedText.encode(loaded != null ? loaded.vocab() : CharVocabulary.fromText(text, config.lowercase()),
          text);
      dataName = "tapegrad-core";
    } else {
      // Streamed straight into ids: a large text is never held as a String (see TextFile).
      all = loaded != null ? TextFile.encode(data, loaded.vocab()) : TextFile.encode(data, config.lowercase());
      String file = data.getFileName().toString();
      dataName = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
    }
    CharVocabulary vocab = all.vocabulary();
    EncodedText.Split split = all.trainValidationSplit(config.valFraction());

    CharModel model = loaded != null ? loaded.model()
        : CharModel.create(config.cell(), vocab.size(), config.hidden(), config.layers(),
            new SplittableRandom(config.seed()));
    Trainer trainer = loadedState != null
        ? Trainer.resume(model, vocab, split.train(), split.validation(), config, loadedState.state())
        : Trainer.create(model, vocab, split.train(), split.validation(), config);

    // Created only now, so that a run refused for its text or settings leaves no directory behind.
    Path dir = out != null ? out : resume != null ? resume : defaultOut(dataName);
    checkOutputDirectory(dir);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the output directory " + dir + ": " + e, e);
    }
    int leftovers = RunFiles.deleteLeftovers(dir);

    stdout.printf(Locale.ROOT, "tapegrad train | kernels: %s%n", Backend.current());
    stdout.printf(Locale.ROOT, "data: %s | %,d characters (%,d train, %,d validation) | vocabulary %d%n",
        embedded ? "embedded corpus (Tapegrad's own core Java sources)" : data, all.length(), split.train().length(),
        split.validation().length(), vocab.size());
    stdout.printf(Locale.ROOT,
        "model: Embedding(%d,%d) -> %s(hidden %d, layers %d%s) -> Linear(%d,%d), %,d parameters%n",
        vocab.size(), vocab.size(), config.cell().name(), config.hidden(), config.layers(),
        config.dropout() > 0 ? ", dropout " + config.dropout() : "", config.hidden(), vocab.size(),
        model.parameterCount());
    stdout.printf(Locale.ROOT, "training (preset %s): %s chunks of %d, batch %d, lr %s %s%s%s, clip %s, seed %d, "
        + "%,d steps per epoch; stops at %s%n", chosen.id(), config.stateful() ? "stateful" : "random", config.seq(),
        config.batch(), config.learningRate(), config.schedule().kind().id(),
        config.schedule().warmupSteps() > 0 ? " after " + config.schedule().warmupSteps() + " warm-up steps" : "",
        config.weightDecay() > 0 ? ", weight decay " + config.weightDecay() : "", config.clip(), config.seed(),
        trainer.stepsPerEpoch(), bounds(config));
    if (loaded != null) {
      stdout.printf(Locale.ROOT, "resuming %s from step %,d%n", resume, trainer.step());
      if (loadedState.file().getFileName().toString().equals(Checkpoint.PREVIOUS_STATE_FILE)) {
        stdout.printf("(its last save was interrupted: using the training state saved with the model, %s)%n",
            Checkpoint.PREVIOUS_STATE_FILE);
      }
    }
    if (leftovers > 0) {
      stdout.printf("removed %d temporary file%s left in %s by an interrupted save%n", leftovers,
          leftovers == 1 ? "" : "s", dir);
    }
    if (embedded && !TrainSettings.boundGiven(given) && resume == null) {
      stdout.println("(no --data given: a small model on the embedded corpus, for about 2 minutes)");
    }
    stdout.printf(Locale.ROOT, "saving to %s%n", dir);
    stdout.flush();

    Map<String, String> settings = TrainSettings.saved(values, chosen,
        embedded ? "embedded" : data.toAbsolutePath().toString());
    ProgressReporter progress = new ProgressReporter(stderr, System.console() != null);
    List<double[]> stepLosses = new ArrayList<>();
    // The last good checkpoint: the one resumed from, then each one saved.
    long[] lastSaved = {loaded != null ? loaded.step() : -1};
    Path[] savedIn = {resume};
    Trainer.Listener listener = new Trainer.Listener() {
      private double smoothed = Double.NaN;

      @Override
      public void onStep(StepReport r) {
        smoothed = Double.isNaN(smoothed) ? r.loss() : 0.95 * smoothed + 0.05 * r.loss();
        if (r.step() % Math.max(1, trainer.stepsPerEpoch() / 50) == 0) {
          stepLosses.add(new double[] {r.step(), smoothed});
        }
        progress.update(r, smoothed);
        // An epoch's end saves anyway, in onEpoch.
        if (every > 0 && r.step() % every == 0 && r.step() % trainer.stepsPerEpoch() != 0) {
          Checkpoint.save(dir, model, vocab, trainer.state(r.elapsedSeconds()), settings);
          RunFiles.writePlot(dir, stepLosses);
          lastSaved[0] = r.step();
          savedIn[0] = dir;
        }
      }

      @Override
      public void onValidation(ValidationReport r) {
        if (r.improved()) {
          Checkpoint.saveModel(dir.resolve(Checkpoint.BEST_MODEL_FILE), model, vocab, r.step());
        }
        RunFiles.appendValidation(dir, r);
        if (r.step() % trainer.stepsPerEpoch() != 0) {
          progress.clear();
          stdout.printf(Locale.ROOT, "validation at step %,d | val %s | %s%n", r.step(), val(r.valLoss()),
              r.improved() ? "new best, saved " + Checkpoint.BEST_MODEL_FILE
                  : "best " + val(r.bestValLoss()) + ", " + r.evalsSinceBest() + " without improvement");
          stdout.flush();
        }
      }

      @Override
      public void onEpoch(EpochReport r) {
        progress.clear();
        if (!r.endOfRun()) {
          stdout.printf(Locale.ROOT, "epoch %d | step %,d | train %.4f nats (%.3f bpc) | val %s | %,.0f chars/s | %s%n",
              r.epoch(), r.step(), r.trainLoss(), r.trainLoss() / Math.log(2), val(r.valLoss()), r.charsPerSecond(),
              duration(r.elapsedSeconds()));
          if (!r.sample().isEmpty()) {
            stdout.println("  sample: " + r.sample().replace("\n", "\n          "));
          }
          stdout.flush();
        }
        Checkpoint.save(dir, model, vocab, trainer.state(r.elapsedSeconds()), settings);
        lastSaved[0] = r.step();
        savedIn[0] = dir;
        RunFiles.appendMetrics(dir, r);
        RunFiles.writePlot(dir, stepLosses);
      }
    };

    EpochReport end;
    try (StopSignals signals = StopSignals.install(trainer::requestStop, stderr, Main::quitNow)) {
      try {
        end = trainer.run(listener);
      } catch (TrainingDivergedException e) {
        progress.clear();
        throw new IllegalStateException(divergence(e, config, savedIn[0], lastSaved[0]), e);
      }
      if (signals.received() != null) {
        stdout.printf(Locale.ROOT, "stopped by %s at step %,d, %s: saved %s, %s, %s, %s in %s%n", signals.received(),
            end.step(), duration(end.elapsedSeconds()), Checkpoint.MODEL_FILE, Checkpoint.STATE_FILE, RunFiles.METRICS,
            RunFiles.PLOT, dir);
        stdout.printf("continue it: java -jar rnn/target/rnn.jar train --resume %s%n", dir);
        stdout.flush();
        return signals.exitStatus();
      }
    }
    if (trainer.stoppedEarly()) {
      stdout.printf(Locale.ROOT, "stopped early: %d validation measurements without a new best (--patience %d)%n",
          config.patience(), config.patience());
    }
    stdout.printf(Locale.ROOT, "done: step %,d, %s | train %.4f nats (%.3f bpc) | val %s | %,.0f chars/s%n", end.step(),
        duration(end.elapsedSeconds()), end.trainLoss(), end.trainLoss() / Math.log(2), val(end.valLoss()),
        end.charsPerSecond());
    stdout.printf("saved %s, %s, %s, %s in %s%n", Checkpoint.MODEL_FILE, Checkpoint.STATE_FILE, RunFiles.METRICS,
        RunFiles.PLOT, dir);
    stdout.printf("sample it: java -jar rnn/target/rnn.jar sample --checkpoint %s%n", dir);
    return 0;
  }

  /** The one-line error for a diverged run: what happened, where the last good checkpoint is, what to try. */
  private String divergence(TrainingDivergedException e, TrainConfig config, Path dir, long lastSaved) {
    String kept = lastSaved >= 0
        ? String.format(Locale.ROOT, "the last good checkpoint (step %,d) is kept in %s", lastSaved, dir)
        : "no checkpoint was saved before it";
    return String.format(Locale.ROOT, "%s; %s; try a smaller --clip (now %s, e.g. %s) and a lower --lr (now %s, e.g. "
        + "%s)%s", e.getMessage(), kept, config.clip(), Math.min(1.0, config.clip() / 2), config.learningRate(),
        config.learningRate() / 10, lastSaved >= 0 ? " with --resume " + dir : "");
  }

  private void checkOutputDirectory(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--out " + dir + " is a file, not a directory");
    }
    boolean resumingHere = resume != null && dir.toAbsolutePath().normalize().equals(resume.toAbsolutePath().normalize());
    if (!resumingHere && !force && Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        if (files.anyMatch(p -> p.getFileName().toString().equals(Checkpoint.MODEL_FILE)
            || p.getFileName().toString().equals(RunFiles.METRICS))) {
          throw new IllegalArgumentException(dir + " already holds a training run; pass --force to overwrite it"
              + " or --resume " + dir + " to continue it");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
      }
    }
    if (force && !resumingHere) {
      for (String name : List.of(RunFiles.METRICS, RunFiles.PLOT)) {
        try {
          Files.deleteIfExists(dir.resolve(name));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot remove " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
      }
    }
  }

  static String embeddedCorpus() {
    try (InputStream in = TrainCommand.class.getResourceAsStream(EMBEDDED_CORPUS)) {
      if (in == null) {
        throw new IllegalStateException("the embedded corpus is missing from this build (" + EMBEDDED_CORPUS
            + "); rebuild with 'mvn package' or pass --data FILE");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the embedded corpus: " + e.getMessage(), e);
    }
  }

  private static Path defaultOut(String dataName) {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return Path.of("runs", dataName + "-" + stamp);
  }

  private static String bounds(TrainConfig c) {
    List<String> parts = new ArrayList<>();
    if (c.epochs() > 0) {
      parts.add(c.epochs() + " epochs");
    }
    if (c.steps() > 0) {
      parts.add(String.format(Locale.ROOT, "%,d steps", c.steps()));
    }
    if (c.minutes() > 0) {
      parts.add(c.minutes() + " minutes");
    }
    return String.join(" or ", parts);
  }

  static String val(double nats) {
    return Double.isFinite(nats) ? String.format(Locale.ROOT, "%.4f nats (%.3f bpc)", nats, nats / Math.log(2)) : "n/a";
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }
}
