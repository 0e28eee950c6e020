package dev.tapegrad.rnn.cli;

import dev.tapegrad.ops.CellKind;
import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.checkpoint.Checkpoint;
import dev.tapegrad.rnn.checkpoint.RunFiles;
import dev.tapegrad.rnn.checkpoint.RunLock;
import dev.tapegrad.rnn.text.CharVocabulary;
import dev.tapegrad.rnn.text.EncodedText;
import dev.tapegrad.rnn.text.TextFile;
import dev.tapegrad.rnn.train.EpochReport;
import dev.tapegrad.rnn.train.TrainConfig;
import dev.tapegrad.rnn.train.TrainPreset;
import dev.tapegrad.rnn.train.Trainer;
import dev.tapegrad.rnn.train.TrainingDivergedException;
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
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code train}: trains a char model and saves it, with its metrics and loss plot.
 *
 * <p>The run is saved at every epoch's end, every {@code --save-every} steps, at its end, and when
 * a stop signal arrives (see {@link StopSignals}); each save replaces the model and training state
 * as a matching pair ({@link Checkpoint#save}). A diverging run (a NaN or infinite loss or gradient)
 * stops without saving, so the last good checkpoint stays, and the error suggests a smaller
 * {@code --clip} and a lower {@code --lr}. The run holds its directory's {@link RunLock} from
 * before it reads a run to resume, or changes anything, until it ends: one writer per directory.
 *
 * <p>Its options are the ones below, then one per setting of {@link TrainSettings} (added by
 * {@link TrainSettings.Options}, which also sorts the help into sections), then {@code --threads}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
    modelTransformer = TrainSettings.Options.class,
    description = {"Train a character-level GRU, LSTM or RNN on a text file. Without --data it trains on "
        + "Tapegrad's own Java sources, packed into the jar. The defaults come from a preset (--preset), and every "
        + "flag overrides its preset's value; each option below names each preset's default.", ""},
    footer = {"", "Examples:",
        "  ${ROOT-COMMAND-NAME} train",
        "  ${ROOT-COMMAND-NAME} train --data input.txt --out runs/mine",
        "  ${ROOT-COMMAND-NAME} train --data input.txt --preset notebook",
        "  ${ROOT-COMMAND-NAME} train --data input.txt --cell lstm --layers 2",
        "  ${ROOT-COMMAND-NAME} train --resume runs/mine --minutes 20",
        "",
        "The first trains a small model on the embedded corpus for about 2 minutes; the third with the "
            + "notebook's settings; the last continues the second up to 20 minutes in all. Ctrl-C or SIGTERM stops "
            + "after the current step, saves the run and exits with 130 or 143; a second Ctrl-C quits at once, "
            + "keeping the last complete checkpoint."})
final class TrainCommand implements Callable<Integer> {

  /** The corpus packed into the jar at build time: Tapegrad's core sources, concatenated. */
  static final String EMBEDDED_CORPUS = "/corpus/tapegrad-core-sources.txt";
  /** The file name that reads standard input, where a text is read. */
  static final String STANDARD_INPUT = "-";

  @Spec
  private CommandSpec spec;

  @ParentCommand
  private Main main;

  @Option(names = "--data", paramLabel = "FILE", description = "UTF-8 text to train on; - reads standard input "
      + "(default: the embedded corpus).")
  private Path data;

  @Option(names = "--out", paramLabel = "DIR", description = "Where to save the run (default: runs/NAME-TIMESTAMP).")
  private Path out;

  @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run saved in DIR.")
  private Path resume;

  @Option(names = "--config", paramLabel = "FILE", description = "Start from the settings of a run's "
      + RunFiles.SETTINGS + " (its text, preset and every setting, bounds included) to make that run again; flags "
      + "given override them.")
  private Path configFile;

  @Option(names = "--force", description = "Replace a run already in --out: its files (the best model too) are "
      + "deleted first.")
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
    Map<TrainSettings.Setting<?>, Object> given = TrainSettings.given(spec);
    // Resuming in place: locked before the run is read, so that no other process saves between the reads.
    if (out != null && out.toString().isBlank()) {
      throw usage("--out is empty: name the directory to save the run in", null);
    }
    if (resume != null && resume.toString().isBlank()) {
      throw usage("--resume is empty: name the run directory to continue", null);
    }
    boolean inPlace = resume != null && Files.isDirectory(resume) && (out == null || samePlace(out, resume));
    try (RunLock resumed = inPlace ? RunLock.acquire(resume) : null) {
      Prepared run = prepare(given);
      // Created only now, so that a run refused for its text or settings leaves no directory behind.
      Path dir = out != null ? out : resume != null ? resume : defaultOut(run.dataName());
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw new IllegalArgumentException("--out " + dir + " is a file, not a directory");
      }
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the output directory " + dir + ": " + e, e);
      }
      try (RunLock lock = resumed != null ? null : RunLock.acquire(dir)) {
        return train(run, dir, given);
      }
    }
  }

  /**
   * What a run starts from, checked before anything is written.
   *
   * @param values the settings
   * @param preset the preset they started from
   * @param text the text and how the run records it
   * @param dataName the text's name, for the default output directory
   * @param all the whole text
   * @param split its training and validation parts
   * @param model the model, fresh or resumed
   * @param trainer the trainer, at step 0 or at the resumed step
   * @param loaded the model resumed from, or null
   * @param loadedState its training state, or null
   * @param sizeWarning a warning that the model is large for the heap, if it is
   */
  private record Prepared(TrainSettings.Values values, TrainPreset preset, Text text, String dataName,
      EncodedText all, EncodedText.Split split, CharModel model, Trainer trainer, Checkpoint.Loaded loaded,
      Checkpoint.LoadedState loadedState, Optional<String> sizeWarning) {}

  /** Reads the run to resume, merges the settings, reads the text and makes the model and the trainer. */
  private Prepared prepare(Map<TrainSettings.Setting<?>, Object> given) {
    Map<String, String> saved = Map.of();
    Checkpoint.Loaded loaded = null;
    Checkpoint.LoadedState loadedState = null;
    if (resume != null) {
      requireCheckpoint(resume);
      loaded = Checkpoint.loadModel(resume);
      loadedState = Checkpoint.loadState(resume.resolve(Checkpoint.STATE_FILE), loaded.model(), loaded.step());
      saved = loadedState.settings();
    }
    if (configFile != null) {
      if (resume != null) {
        throw usage("--config and --resume do not go together: a resumed run keeps its own settings", null);
      }
      saved = TrainSettings.read(configFile);
      String savedData = saved.get(TrainSettings.DATA);
      if (data == null && savedData != null && !savedData.equals(TrainSettings.EMBEDDED)) {
        if (savedData.equals(STANDARD_INPUT)) {
          throw usage(configFile + " describes a run on standard input: pipe the same text in with --data -", null);
        }
        data = Path.of(savedData);
      }
    }
    Text text = resume != null ? resumedText(saved) : newText();
    String savedPrint = saved.get(TrainSettings.DATA_FINGERPRINT);
    if (configFile != null && savedPrint != null && text.fingerprint() != null && !savedPrint.equals(text.fingerprint())
        && saved.get(TrainSettings.DATA).equals(text.saved())) {
      throw new IllegalArgumentException(text.shown() + " is not the text " + configFile + " was made with (" + savedPrint
          + ", now " + text.fingerprint() + "); restore it to make the same run, or pass --data to train on another");
    }
    boolean embedded = text.file() == null;
    TrainPreset chosen = preset(saved, embedded);
    TrainSettings.Values values;
    try {
      values = TrainSettings.merge(given, saved, chosen);
    } catch (TrainSettings.SettingException e) {
      throw usage(e.getMessage(), e);
    }
    TrainConfig config = values.config();
    if (loaded != null) {
      CharModel m = loaded.model();
      if (m.cell() != config.cell() || m.hidden() != config.hidden() || m.layers() != config.layers()) {
        throw usage(String.format(Locale.ROOT, "the run in %s is a %d-layer %s of width %d; "
            + "--cell, --hidden and --layers cannot change when resuming", resume, m.layers(), m.cell().id(),
            m.hidden()), null);
      }
    }

    EncodedText all;
    String dataName;
    if (embedded) {
      String corpus = embeddedCorpus();
      all = EncodedText.encode(loaded != null ? loaded.vocab() : CharVocabulary.fromText(corpus, config.lowercase()),
          corpus);
      dataName = "tapegrad-core";
    } else {
      // Streamed straight into ids: a large text is never held as a String (see TextFile).
      all = loaded != null ? TextFile.encode(text.file(), loaded.vocab())
          : TextFile.encode(text.file(), config.lowercase());
      String file = text.standardInput() ? "stdin" : text.file().getFileName().toString();
      dataName = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
    }
    CharVocabulary vocab = all.vocabulary();
    Optional<String> sizeWarning = checkSizes(config, vocab.size());
    EncodedText.Split split;
    try {
      split = all.trainValidationSplit(config.valFraction());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "the text has %,d character%s, too few to hold "
          + "out --val-fraction %s for validation and train on the rest; use a longer text or --val-fraction 0",
          all.length(), all.length() == 1 ? "" : "s", config.valFraction()), e);
    }

    CharModel model = loaded != null ? loaded.model()
        : CharModel.create(config.cell(), vocab.size(), config.hidden(), config.layers(),
            new SplittableRandom(config.seed()));
    Trainer trainer = loadedState != null
        ? Trainer.resume(model, vocab, split.train(), split.validation(), config, loadedState.state())
        : Trainer.create(model, vocab, split.train(), split.validation(), config);
    if (loadedState != null) {
      trainer.boundReached().ifPresent(bound -> {
        throw new IllegalStateException(boundReached(bound, config, trainer));
      });
    }
    return new Prepared(values, chosen, text, dataName, all, split, model, trainer, loaded, loadedState, sizeWarning);
  }

  /**
   * The text a run trains on.
   *
   * @param file the file to read (a temporary copy of standard input for {@code -}), or null for the
   *     embedded corpus
   * @param saved how the run records it: the file's absolute path, {@code -} or {@code embedded}
   * @param fingerprint the file's {@link TextFile#fingerprint}, or null for the embedded corpus
   * @param shown how the header names it
   */
  private record Text(Path file, String saved, String fingerprint, String shown) {
    boolean standardInput() {
      return STANDARD_INPUT.equals(saved);
    }
  }

  /**
   * A text file to read: {@code path} itself, or for {@value #STANDARD_INPUT} standard input, copied
   * into a temporary file (a text is read in two passes, and a pipe can be read once).
   *
   * @param path a file, or {@value #STANDARD_INPUT}
   * @return the file to read
   */
  static Path readable(Path path) {
    return path.toString().equals(STANDARD_INPUT) ? TextFile.spool(System.in) : path;
  }

  /** The text of a new run: {@code --data}, standard input for {@code -}, or the embedded corpus. */
  private Text newText() {
    if (data == null) {
      return new Text(null, TrainSettings.EMBEDDED, null, "embedded corpus (Tapegrad's own core Java sources)");
    }
    if (data.toString().equals(STANDARD_INPUT)) {
      Path spooled = readable(data);
      return new Text(spooled, STANDARD_INPUT, TextFile.fingerprint(spooled), "standard input");
    }
    return new Text(data, data.toAbsolutePath().toString(), TextFile.fingerprint(data), data.toString());
  }

  /**
   * The text of a resumed run: the one it trained on, and no other, so that its epochs and its
   * best validation loss stay comparable. {@code --data} may name the same text elsewhere (a moved
   * file, or standard input again); a text that differs from the run's, or that changed since, is
   * refused, compared by fingerprint (by real path for runs saved before fingerprints).
   */
  private Text resumedText(Map<String, String> saved) {
    String savedData = saved.getOrDefault(TrainSettings.DATA, TrainSettings.EMBEDDED);
    String savedPrint = saved.get(TrainSettings.DATA_FINGERPRINT);
    if (savedData.equals(TrainSettings.EMBEDDED)) {
      if (data != null) {
        throw usage("the run in " + resume + " trained on the embedded corpus, and a resumed run keeps its text: leave "
            + "out --data to continue it, or train a new run on " + data, null);
      }
      return newText();
    }
    boolean given = data != null;
    if (!given) {
      if (savedData.equals(STANDARD_INPUT)) {
        throw usage("the run in " + resume + " trained on standard input: pipe the same text in again with --data -",
            null);
      }
      if (!Files.exists(Path.of(savedData))) {
        throw new IllegalArgumentException("the text the run in " + resume + " trained on, " + savedData + ", is gone: "
            + "pass --data FILE with the same text (its fingerprint is checked: " + savedPrint + ")");
      }
      data = Path.of(savedData);
    }
    Text text = newText();
    boolean same = savedPrint != null ? savedPrint.equals(text.fingerprint())
        : !savedData.equals(STANDARD_INPUT) && Files.exists(Path.of(savedData))
            && samePlace(Path.of(savedData), text.file());
    if (!same) {
      String then = savedData + (savedPrint != null ? " (" + savedPrint + ")" : "");
      throw usage(given
          ? "--data " + text.shown() + " (" + text.fingerprint() + ") is not the text the run in " + resume
              + " trained on, " + then + "; a resumed run keeps its text, so that its epochs and best validation loss "
              + "stay comparable: leave out --data to continue it, or train a new run on " + text.shown()
          : "the text of the run in " + resume + " changed since it began: " + then + " now holds "
              + text.fingerprint() + "; restore it to continue the run, or train a new run on it", null);
    }
    return text;
  }

  /**
   * The preset: the one given or, when resuming, the run's own. A resumed run keeps its settings, so
   * another preset would only relabel it: refused.
   */
  private TrainPreset preset(Map<String, String> saved, boolean embedded) {
    // A run saved before presets existed was trained with the notebook's settings (or the embedded
    // ones); its saved settings say so only for the flags that existed then.
    TrainPreset own = saved.containsKey(TrainSettings.PRESET) ? TrainPreset.parse(saved.get(TrainSettings.PRESET))
        : embedded ? TrainPreset.EMBEDDED
        : resume != null || configFile != null ? TrainPreset.NOTEBOOK : TrainPreset.DATA;
    if (preset == null) {
      return own;
    }
    TrainPreset chosen;
    try {
      chosen = TrainPreset.parse(preset);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage(), e);
    }
    if (resume != null && chosen != own) {
      throw usage("the run in " + resume + " was trained with --preset " + own.id() + ", whose settings it keeps; "
          + "--preset " + chosen.id() + " would only relabel it: pass the flags to change (such as --lr), or train a "
          + "new run with --preset " + chosen.id(), null);
    }
    return chosen;
  }

  /**
   * Refuses to resume a directory without a checkpoint, saying why: not a run at all, or a run
   * stopped before its first checkpoint, which can only start again.
   */
  private void requireCheckpoint(Path dir) {
    if (!Files.isDirectory(dir) || Files.exists(dir.resolve(Checkpoint.MODEL_FILE))) {
      return;
    }
    if (Files.exists(dir.resolve(RunFiles.METRICS)) || Files.exists(dir.resolve(Checkpoint.BEST_MODEL_FILE))) {
      throw new IllegalArgumentException("the run in " + dir + " stopped before its first checkpoint, so there is "
          + "nothing to resume; start it again with: " + main.program() + " train --config "
          + dir.resolve(RunFiles.SETTINGS) + " --out " + dir + " --force");
    }
    throw new IllegalArgumentException("no " + Checkpoint.MODEL_FILE + " in " + dir + " (is it a training run's --out "
        + "directory?)");
  }

  /** The line for a resumed run that already reached its bound: which, where it is, and how to go on. */
  private String boundReached(String bound, TrainConfig config, Trainer trainer) {
    // A larger bound than the one reached, and past where the run is (a bound given below it counts too).
    String more = bound.startsWith("--steps")
        ? "--steps " + Math.max(2 * config.steps(), trainer.step() + trainer.stepsPerEpoch())
        : bound.startsWith("--epochs") ? "--epochs " + (Math.max(config.epochs(), trainer.lastEpoch()) + 1)
        : bound.startsWith("--minutes") ? "--minutes " + TrainSettings.plain(Math.max(2 * config.minutes(),
            Math.ceil(trainer.elapsedBefore() / 60) + config.minutes()))
        : "--patience " + 2 * config.patience() + " (or 0, never)";
    return String.format(Locale.ROOT, "the run in %s already reached its bound, %s (it is at step %,d, epoch %d, "
        + "%s trained): nothing was trained or written; bounds count the whole run, so give a larger one to go on, "
        + "for example: %s train --resume %s %s", resume, bound, trainer.step(), trainer.lastEpoch(),
        duration(trainer.elapsedBefore()), main.program(), resume, more);
  }

  /** Whether two paths name the same file or directory (symbolic links followed), or, when either is missing, the same path. */
  static boolean samePlace(Path a, Path b) {
    try {
      if (Files.exists(a) && Files.exists(b)) {
        return Files.isSameFile(a, b);
      }
    } catch (IOException e) {
      // Compared by name below.
    }
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }

  /** Trains the prepared run into {@code dir}, whose lock this process holds. */
  private int train(Prepared run, Path dir, Map<TrainSettings.Setting<?>, Object> given) {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    TrainConfig config = run.values().config();
    Trainer trainer = run.trainer();
    Checkpoint.Loaded loaded = run.loaded();
    List<String> replaced = checkOutputDirectory(dir, resume != null && samePlace(dir, resume));
    int leftovers = RunFiles.deleteLeftovers(dir);
    int dropped = loaded != null ? RunFiles.resumeMetrics(resume, dir, loaded.step()) : 0;
    Map<String, String> settings = TrainSettings.saved(run.values(), run.preset(), run.text().saved(),
        run.text().fingerprint());
    Map<String, Object> described = TrainSettings.json(run.values(), run.preset(), run.text().saved(),
        run.text().fingerprint());
    RunFiles.writeJsonLines(dir.resolve(RunFiles.SETTINGS), described);
    RunFiles.appendStart(dir, trainer.step(), about(described));

    try (RunConsole console = RunConsole.open(stdout, main.screen(), dir.resolve(RunFiles.LOG))) {
      banner(console, run);
      Stream.of(run.sizeWarning(), shortRowsWarning(config, run.split().train().length())).flatMap(Optional::stream)
          .forEach(w -> {
            console.flush();
            stderr.println(w);
            stderr.flush();
          });
      if (loaded != null) {
        console.line(String.format(Locale.ROOT, "resuming %s from step %,d", resume, trainer.step()));
        if (run.loadedState().file().getFileName().toString().equals(Checkpoint.PREVIOUS_STATE_FILE)) {
          console.line("(its last save was interrupted: using the training state saved with the model, "
              + Checkpoint.PREVIOUS_STATE_FILE + ")");
        }
      }
      if (!replaced.isEmpty()) {
        console.line(String.format("replacing the run in %s (--force): removed %s", dir, String.join(", ", replaced)));
      }
      if (leftovers > 0) {
        console.line(String.format("removed %d temporary file%s left in %s by an interrupted save", leftovers,
            leftovers == 1 ? "" : "s", dir));
      }
      if (dropped > 0) {
        console.line(String.format(Locale.ROOT, "dropped %d metrics record%s written after the checkpoint (step %,d) "
            + "by the run that stopped", dropped, dropped == 1 ? "" : "s", loaded.step()));
      }
      if (run.text().file() == null && !TrainSettings.boundGiven(given) && resume == null && configFile == null) {
        console.line("(no --data given: a small model on the embedded corpus, for about 2 minutes)");
      }
      console.line(String.format(Locale.ROOT, "saving to %s", dir));
      console.flush();
      return run(console, run, dir, settings);
    }
  }

  /** Runs the trainer with the run's listener under the stop signals, and prints how the run ended. */
  private int run(RunConsole console, Prepared run, Path dir, Map<String, String> settings) {
    PrintWriter stderr = spec.commandLine().getErr();
    Trainer trainer = run.trainer();
    ProgressReporter progress = new ProgressReporter(spec.commandLine().getOut(), stderr, main.screen());
    RunListener listener = new RunListener(dir, run.model(), run.all().vocabulary(), trainer, settings,
        run.values().saveEvery(), run.split().train().length(), console, progress, resume,
        run.loaded() != null ? run.loaded().step() : -1);
    String files = String.join(", ", Checkpoint.MODEL_FILE, Checkpoint.STATE_FILE, RunFiles.METRICS, RunFiles.PLOT);
    EpochReport end;
    try (StopSignals signals = StopSignals.install(trainer::requestStop, stderr, Main::quitNow)) {
      try {
        end = trainer.run(listener);
      } catch (TrainingDivergedException e) {
        progress.clear();
        throw new IllegalStateException(divergence(e, run.values().config(), listener.savedIn(),
            listener.lastSaved()), e);
      }
      if (signals.received() != null) {
        console.line(String.format(Locale.ROOT, "stopped by %s at step %,d, %s: saved %s in %s", signals.received(),
            end.step(), duration(end.elapsedSeconds()), files, dir));
        console.line(String.format("continue it: %s train --resume %s", main.program(), dir));
        console.flush();
        return signals.exitStatus();
      }
    }
    if (trainer.stoppedEarly()) {
      console.line(String.format(Locale.ROOT, "stopped early: %d validation measurements without a new best "
          + "(--patience %d)", run.values().config().patience(), run.values().config().patience()));
    }
    FittedLine done = new FittedLine().field(String.format(Locale.ROOT, "done: step %,d, %s", end.step(),
        duration(end.elapsedSeconds())), 0);
    loss(done, "train", end.trainLoss());
    loss(done, "val", end.valLoss());
    done.field(String.format(Locale.ROOT, "%,.0f chars/s", end.charsPerSecond()), 2);
    console.line(done);
    boolean best = Files.exists(dir.resolve(Checkpoint.BEST_MODEL_FILE));
    console.line(String.format("saved %s%s in %s", files, best ? ", " + Checkpoint.BEST_MODEL_FILE : "", dir));
    console.line(String.format("sample it: %s sample --checkpoint %s", main.program(), dir));
    console.flush();
    return 0;
  }

  /** The lines that open a run: kernels, text, model, training settings and bounds. */
  private void banner(RunConsole console, Prepared run) {
    TrainConfig config = run.values().config();
    EncodedText all = run.all();
    int vocab = all.vocabulary().size();
    console.line(String.format(Locale.ROOT, "tapegrad train | kernels: %s", Backend.current()));
    console.line(String.format(Locale.ROOT, "data: %s | %,d characters (%,d train, %,d validation) | vocabulary %d",
        run.text().shown(), all.length(), run.split().train().length(), run.split().validation().length(), vocab));
    console.line(String.format(Locale.ROOT,
        "model: Embedding(%d,%d) -> %s(hidden %d, layers %d%s) -> Linear(%d,%d), %,d parameters", vocab, vocab,
        config.cell().name(), config.hidden(), config.layers(),
        config.dropout() > 0 ? ", dropout " + config.dropout() : "", config.hidden(), vocab,
        run.model().parameterCount()));
    console.line(String.format(Locale.ROOT, "training (preset %s): %s chunks of %d, batch %d, lr %s %s%s%s, clip %s, "
        + "seed %d, %,d steps per epoch; stops at %s", run.preset().id(), config.stateful() ? "stateful" : "random",
        config.seq(), config.batch(), config.learningRate(), config.schedule().kind().id(),
        config.schedule().warmupSteps() > 0 ? " after " + config.schedule().warmupSteps() + " warm-up steps" : "",
        config.weightDecay() > 0 ? ", weight decay " + config.weightDecay() : "", config.clip(), config.seed(),
        run.trainer().stepsPerEpoch(), bounds(config)));
  }

  /** What the run's metrics open with: the settings, and what made the run (version, Java, kernels). */
  private static Map<String, Object> about(Map<String, Object> settings) {
    Map<String, Object> about = new LinkedHashMap<>();
    about.put("tapegrad", Main.version());
    about.put("java", System.getProperty("java.version"));
    about.put("kernels", Backend.current().toString());
    about.put("settings", settings);
    return about;
  }

  /** A usage error of this command, which exits with {@link Main#USAGE}. */
  private ParameterException usage(String message, Throwable cause) {
    return new ParameterException(spec.commandLine(), message, cause);
  }

  /** Adds {@code NAME 1.2345 nats (1.781 bpc)}, whose bits go first when the line must shrink, or {@code NAME n/a}. */
  static FittedLine loss(FittedLine line, String name, double nats) {
    if (!Double.isFinite(nats)) {
      return line.field(name + " n/a", 0);
    }
    return line.field(String.format(Locale.ROOT, "%s %.4f nats", name, nats), 0)
        .detail(String.format(Locale.ROOT, " (%.3f bpc)", nats / Math.log(2)), 5);
  }

  /**
   * Refuses sizes whose largest tensor would not fit a Java array, naming what to change: a
   * vocabulary whose V×V embedding cannot exist, or the flag and the largest value that fits,
   * instead of failing deep inside with a tensor's shape. Returns a warning when the model is large
   * for Java's heap.
   */
  private Optional<String> checkSizes(TrainConfig c, int vocab) {
    long limit = Integer.MAX_VALUE;
    if ((long) vocab * vocab > limit) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "the text has %,d distinct characters, too many: "
          + "the model's V×V embedding (encoder.weight) would have %,d weights, more than Java's limit of %,d in one "
          + "array, so at most %,d distinct characters can be trained on; use a text with fewer (--lowercase merges "
          + "upper and lower case)", vocab, (long) vocab * vocab, limit, (int) Math.sqrt(limit)));
    }
    if (largestTensor(c.cell(), vocab, c.hidden()) > limit) {
      int largest = largest(h -> largestTensor(c.cell(), vocab, h) <= limit, c.hidden());
      throw usage(String.format(Locale.ROOT, "--hidden %,d is too large: the %s's weights would have more than "
          + "Java's limit of %,d elements in one array; with %,d characters the largest --hidden is %,d", c.hidden(),
          c.cell().id(), limit, vocab, largest), null);
    }
    long positions = (long) c.batch() * c.seq();
    if (positions * Math.max(vocab, (long) c.cell().gates() * c.hidden()) > limit) {
      throw usage(String.format(Locale.ROOT, "--batch %,d times --seq %,d is %,d positions per step, too many: their "
          + "activations would have more than Java's limit of %,d elements in one array", c.batch(), c.seq(), positions,
          limit), null);
    }
    return sizeWarning(c, vocab, Runtime.getRuntime().maxMemory());
  }

  /**
   * A warning when a model's weights take more than half the heap in training: each costs 16 bytes
   * then (itself, its gradient and Adam's two moments), before any activation.
   *
   * @param c the settings
   * @param vocab V
   * @param heap Java's heap limit, in bytes
   * @return the warning, naming the V×V embedding when it holds most of the weights
   */
  static Optional<String> sizeWarning(TrainConfig c, int vocab, long heap) {
    long weights = CharModel.parameterShapes(c.cell(), vocab, c.hidden(), c.layers()).values().stream()
        .mapToLong(TrainCommand::elements).sum();
    if (weights * 16 <= heap / 2) {
      return Optional.empty();
    }
    long embedding = (long) vocab * vocab;
    return Optional.of(String.format(Locale.ROOT, "warning: the model has %,d weights (%,d MB, about %,d MB with their "
        + "gradients and Adam's moments)%s, more than half of Java's %,d MB heap; training may run out of memory "
        + "(give Java more with -Xmx, or train a smaller model)", weights, weights * 4 >> 20, weights * 16 >> 20,
        embedding * 2 > weights ? String.format(Locale.ROOT, ", most of them in the V×V embedding of the %,d "
            + "distinct characters", vocab) : "", heap >> 20));
  }

  /** The element count of the largest tensor of a one-layer model (a deeper one adds only smaller ones). */
  private static long largestTensor(CellKind cell, int vocab, int hidden) {
    return CharModel.parameterShapes(cell, vocab, hidden, 1).values().stream().mapToLong(TrainCommand::elements).max()
        .orElse(0);
  }

  private static long elements(long[] dims) {
    long n = 1;
    for (long d : dims) {
      n = Math.multiplyHigh(n, d) != 0 ? Long.MAX_VALUE : n * d;
    }
    return n;
  }

  /** The largest value in [1, upTo] for which {@code ok} holds (it holds for small values, not for upTo). */
  private static int largest(IntPredicate ok, int upTo) {
    int lo = 1;
    int hi = upTo;
    while (hi - lo > 1) {
      int mid = lo + (hi - lo) / 2;
      if (ok.test(mid)) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * A warning when stateful rows are shorter than a chunk: the text is cut into {@code --batch}
   * stretches, and a stretch shorter than {@code --seq} makes every chunk that short.
   */
  static Optional<String> shortRowsWarning(TrainConfig c, int trainChars) {
    long perRow = (trainChars - 1L) / c.batch();
    if (!c.stateful() || perRow >= c.seq()) {
      return Optional.empty();
    }
    long fullRows = (trainChars - 1L) / c.seq();
    String advice = fullRows >= 1
        ? String.format(Locale.ROOT, "--batch %,d or less gives every row a whole chunk", fullRows)
        : String.format(Locale.ROOT, "the text is shorter than one chunk: use --seq %,d or less", trainChars - 1L);
    return Optional.of(String.format(Locale.ROOT, "warning: the %,d training characters in %,d stateful rows "
        + "(--batch) give each row %,d, fewer than --seq %,d, so every chunk is %,d long; %s", trainChars, c.batch(),
        perRow, c.seq(), perRow, advice));
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

  /**
   * Refuses to write over another run without {@code --force}, and with it deletes that run's
   * files; called with the directory locked. Returns the names of the files deleted.
   */
  private List<String> checkOutputDirectory(Path dir, boolean resumingHere) {
    if (resumingHere) {
      return List.of();
    }
    if (!force) {
      try (Stream<Path> files = Files.list(dir)) {
        if (files.anyMatch(p -> p.getFileName().toString().equals(Checkpoint.MODEL_FILE)
            || p.getFileName().toString().equals(RunFiles.METRICS))) {
          throw new IllegalArgumentException(Files.exists(dir.resolve(Checkpoint.MODEL_FILE))
              ? dir + " already holds a training run; pass --force to replace it or --resume " + dir + " to continue it"
              : dir + " holds a run that stopped before its first checkpoint, which cannot be resumed; pass --force to "
                  + "replace it");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
      }
      return List.of();
    }
    return RunFiles.deleteRun(dir);
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

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }
}
