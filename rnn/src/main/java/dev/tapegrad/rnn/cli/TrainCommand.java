package dev.tapegrad.rnn.cli;

import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.CharVocabulary;
import dev.tapegrad.rnn.Checkpoint;
import dev.tapegrad.rnn.EncodedText;
import dev.tapegrad.rnn.RunFiles;
import dev.tapegrad.rnn.TextFile;
import dev.tapegrad.rnn.LearningRateSchedule;
import dev.tapegrad.rnn.TrainConfig;
import dev.tapegrad.rnn.TrainPreset;
import dev.tapegrad.rnn.Trainer;
import dev.tapegrad.rnn.TrainingDivergedException;
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
import java.util.LinkedHashMap;
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
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
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

  @Option(names = "--cell", description = "Recurrent cell: gru, lstm or rnn (default: gru).")
  private String cell;

  @Option(names = "--hidden", description = "Recurrent width H (notebook 512, data 512, embedded 192).")
  private Integer hidden;

  @Option(names = "--layers", description = "Recurrent layers (default: 1).")
  private Integer layers;

  @Option(names = "--dropout", paramLabel = "P", description = "Share of each layer's outputs dropped in training, "
      + "between layers; needs --layers 2 or more (default: 0).")
  private Float dropout;

  @Option(names = "--seq", description = "Characters per chunk, the length of back-propagation through time (default: 100).")
  private Integer seq;

  @Option(names = "--batch", description = "Chunks per step (notebook 1, data 32, embedded 16).")
  private Integer batch;

  @Option(names = "--stateful", negatable = true, description = "Each batch row walks its own stretch of the text, "
      + "carrying its state from chunk to chunk (--no-stateful: random chunks from a zero state, as the notebook; "
      + "default: stateful for data, random otherwise).")
  private Boolean stateful;

  @Option(names = "--lr", description = "Adam's base learning rate (notebook 0.001, data 0.004, embedded 0.003).")
  private Float lr;

  @Option(names = "--schedule", description = "Learning-rate decay over the run: constant, cosine (down to a tenth) or "
      + "step (halved at 1/3 and 2/3) (data: cosine, otherwise constant).")
  private String schedule;

  @Option(names = "--warmup", paramLabel = "STEPS", description = "Linear learning-rate warm-up over the first STEPS "
      + "steps (data: 100, otherwise 0).")
  private Long warmup;

  @Option(names = "--weight-decay", description = "Decoupled (AdamW) weight decay (default: 0).")
  private Float weightDecay;

  @Option(names = "--clip", description = "Largest global gradient norm (default: 5).")
  private Double clip;

  @Option(names = "--epochs", description = "Stop after this many epochs (one epoch is about one pass over the text).")
  private Integer epochs;

  @Option(names = "--steps", description = "Stop when the run has taken this many steps in all.")
  private Long steps;

  @Option(names = "--minutes", description = "Stop after this much wall time (default: 2 for the embedded corpus).")
  private Double minutes;

  @Option(names = "--seed", description = "Random seed: the same seed gives the same run (default: 42).")
  private Long seed;

  @Option(names = "--eval-every", paramLabel = "STEPS", description = "Also measure the validation loss every STEPS "
      + "steps; each new best is saved as " + Checkpoint.BEST_MODEL_FILE + " (data: 1000, otherwise 0: epoch ends only).")
  private Long evalEvery;

  @Option(names = "--patience", paramLabel = "N", description = "Stop after N validation measurements in a row without "
      + "a new best (default: 0, never).")
  private Integer patience;

  @Option(names = "--val-fraction", description = "Share of the text, at its end, held out for validation (default: 0.1).")
  private Double valFraction;

  @Option(names = "--lowercase", description = "Lower-case the text first, as the notebook did (default: keep case).")
  private boolean lowercase;

  @Option(names = "--sample-length", description = "Characters in the greedy sample printed each epoch (default: 200).")
  private Integer sampleLength;

  @Option(names = "--save-every", paramLabel = "N",
      description = "Also save the run every N steps (default: 0, only at each epoch's end and at the end).")
  private Long saveEvery;

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
    if (saveEvery != null && saveEvery < 0) {
      throw new IllegalArgumentException("--save-every must be at least 0 (0 saves only at epoch ends), got "
          + saveEvery);
    }
    Map<String, String> saved = new LinkedHashMap<>();
    Checkpoint.Loaded loaded = null;
    Checkpoint.LoadedState loadedState = null;
    if (resume != null) {
      loaded = Checkpoint.loadModel(resume);
      loadedState = Checkpoint.loadState(resume.resolve(Checkpoint.STATE_FILE), loaded.model(), loaded.step());
      saved = new LinkedHashMap<>(loadedState.settings());
      if (epochs != null || steps != null || minutes != null) {
        // Bounds given on the resuming command line replace the original run's bounds.
        saved.remove("epochs");
        saved.remove("steps");
        saved.remove("minutes");
      }
      if (data == null && saved.containsKey("data") && !"embedded".equals(saved.get("data"))) {
        data = Path.of(saved.get("data"));
      }
    }
    boolean embedded = data == null;
    // A run saved before presets existed was trained with the notebook's settings (or the embedded
    // ones); its saved settings say so only for the flags that existed then.
    TrainPreset chosen = preset != null ? TrainPreset.parse(preset)
        : saved.containsKey("preset") ? TrainPreset.parse(saved.get("preset"))
        : embedded ? TrainPreset.EMBEDDED
        : resume != null ? TrainPreset.NOTEBOOK : TrainPreset.DATA;
    TrainConfig base = chosen.builder().build();
    boolean bounded = epochs != null || steps != null || minutes != null;
    String savedSchedule = saved.getOrDefault("schedule", base.schedule().kind().id());
    TrainConfig config = TrainConfig.builder()
        .cell(CharModel.Cell.parse(cell != null ? cell : saved.getOrDefault("cell", base.cell().id())))
        .hidden(pick(hidden, saved, "hidden", base.hidden()))
        .layers(pick(layers, saved, "layers", base.layers()))
        .dropout(pick(dropout, saved, "dropout", base.dropout()))
        .seq(pick(seq, saved, "seq", base.seq()))
        .batch(pick(batch, saved, "batch", base.batch()))
        .stateful(stateful != null ? stateful
            : Boolean.parseBoolean(saved.getOrDefault("stateful", Boolean.toString(base.stateful()))))
        .learningRate(pick(lr, saved, "lr", base.learningRate()))
        .schedule(new LearningRateSchedule(LearningRateSchedule.Kind.parse(schedule != null ? schedule : savedSchedule),
            pick(warmup, saved, "warmup", base.schedule().warmupSteps())))
        .weightDecay(pick(weightDecay, saved, "weight_decay", base.weightDecay()))
        .clip(pick(clip, saved, "clip", base.clip()))
        .epochs(pick(epochs, saved, "epochs", bounded ? 0 : base.epochs()))
        .steps(pick(steps, saved, "steps", 0L))
        .minutes(pick(minutes, saved, "minutes", bounded ? 0 : base.minutes()))
        .evalEvery(pick(evalEvery, saved, "eval_every", base.evalEvery()))
        .patience(pick(patience, saved, "patience", base.patience()))
        .seed(pick(seed, saved, "seed", base.seed()))
        .valFraction(pick(valFraction, saved, "val_fraction", base.valFraction()))
        .lowercase(lowercase || Boolean.parseBoolean(saved.getOrDefault("lowercase", "false")))
        .sampleLength(pick(sampleLength, saved, "sample_length", base.sampleLength()))
        .build();
    if (loaded != null) {
      CharModel m = loaded.model();
      if (m.cell() != config.cell() || m.hidden() != config.hidden() || m.layers() != config.layers()) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "the run in %s is a %d-layer %s of width %d; "
            + "--cell, --hidden and --layers cannot change when resuming", resume, m.layers(), m.cell().id(),
            m.hidden()));
      }
    }
    long every = pick(saveEvery, saved, "save_every", 0L);

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
    if (embedded && minutes == null && steps == null && epochs == null && resume == null) {
      stdout.println("(no --data given: a small model on the embedded corpus, for about 2 minutes)");
    }
    stdout.printf(Locale.ROOT, "saving to %s%n", dir);
    stdout.flush();

    Map<String, String> settings = settings(config, chosen, embedded ? "embedded" : data.toAbsolutePath().toString(),
        every);
    ProgressReporter progress = new ProgressReporter(stderr, System.console() != null);
    List<double[]> stepLosses = new ArrayList<>();
    // The last good checkpoint: the one resumed from, then each one saved.
    long[] lastSaved = {loaded != null ? loaded.step() : -1};
    Path[] savedIn = {resume};
    Trainer.Listener listener = new Trainer.Listener() {
      private double smoothed = Double.NaN;

      @Override
      public void onStep(Trainer.StepReport r) {
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
      public void onValidation(Trainer.ValidationReport r) {
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
      public void onEpoch(Trainer.EpochReport r) {
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

    Trainer.EpochReport end;
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

  private static Map<String, String> settings(TrainConfig c, TrainPreset preset, String data, long saveEvery) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("data", data);
    m.put("preset", preset.id());
    m.put("cell", c.cell().id());
    m.put("hidden", Integer.toString(c.hidden()));
    m.put("layers", Integer.toString(c.layers()));
    m.put("dropout", Float.toString(c.dropout()));
    m.put("seq", Integer.toString(c.seq()));
    m.put("batch", Integer.toString(c.batch()));
    m.put("stateful", Boolean.toString(c.stateful()));
    m.put("lr", Float.toString(c.learningRate()));
    m.put("schedule", c.schedule().kind().id());
    m.put("warmup", Long.toString(c.schedule().warmupSteps()));
    m.put("weight_decay", Float.toString(c.weightDecay()));
    m.put("clip", Double.toString(c.clip()));
    m.put("eval_every", Long.toString(c.evalEvery()));
    m.put("patience", Integer.toString(c.patience()));
    m.put("epochs", Integer.toString(c.epochs()));
    m.put("steps", Long.toString(c.steps()));
    m.put("minutes", Double.toString(c.minutes()));
    m.put("seed", Long.toString(c.seed()));
    m.put("val_fraction", Double.toString(c.valFraction()));
    m.put("lowercase", Boolean.toString(c.lowercase()));
    m.put("sample_length", Integer.toString(c.sampleLength()));
    m.put("save_every", Long.toString(saveEvery));
    return m;
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

  private static int pick(Integer given, Map<String, String> saved, String key, int fallback) {
    return given != null ? given : saved.containsKey(key) ? parseSaved(key, saved.get(key)).intValue() : fallback;
  }

  private static long pick(Long given, Map<String, String> saved, String key, long fallback) {
    return given != null ? given : saved.containsKey(key) ? parseSaved(key, saved.get(key)).longValue() : fallback;
  }

  private static float pick(Float given, Map<String, String> saved, String key, float fallback) {
    return given != null ? given : saved.containsKey(key) ? parseSaved(key, saved.get(key)).floatValue() : fallback;
  }

  private static double pick(Double given, Map<String, String> saved, String key, double fallback) {
    return given != null ? given : saved.containsKey(key) ? parseSaved(key, saved.get(key)).doubleValue() : fallback;
  }

  private static Number parseSaved(String key, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the saved run's setting '" + key + "' is not a number: " + value);
    }
  }
}
