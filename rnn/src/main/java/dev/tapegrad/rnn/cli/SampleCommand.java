package dev.tapegrad.rnn.cli;

import dev.tapegrad.rnn.checkpoint.Checkpoint;
import dev.tapegrad.rnn.sample.Sampler;
import dev.tapegrad.rnn.text.TextFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sample}: generates text from a trained model, streaming it to standard output. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
    description = {"Generate text from a trained model. It is primed with --prime, then each next character is "
        + "drawn from softmax(logits / temperature), optionally penalising the characters of the last "
        + "--penalty-window and keeping only the --top-k, then the --top-p, most likely. The flags of nanoGPT's "
        + "sample.py (--start, --max-new-tokens, --num-samples) work too.", ""},
    footer = {"", "Examples:",
        "  ${ROOT-COMMAND-NAME} sample",
        "  ${ROOT-COMMAND-NAME} sample --checkpoint runs/mine --prime 'ROMEO:'",
        "  ${ROOT-COMMAND-NAME} sample --temperature 0",
        "  ${ROOT-COMMAND-NAME} sample --top-p 0.9 --samples 3",
        "  ${ROOT-COMMAND-NAME} sample --temperature 0 --repetition-penalty 1.2",
        "",
        "The first samples the newest run under ./runs; the third is greedy; the fourth draws three samples from "
            + "the nucleus of 90% probability."})
final class SampleCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Mixin
  private CheckpointOption checkpoint;

  @Option(names = "--prime", paramLabel = "TEXT", description = "Text to start from; it is printed, "
      + "then continued; FILE:PATH reads it from a file, as nanoGPT's --start does (default: a newline, or the "
      + "vocabulary's first character).")
  private String prime;

  @Option(names = {"-q", "--quiet"}, description = "Do not say on standard error which model is used.")
  private boolean quiet;

  @Option(names = "--length", paramLabel = "N", description = "Characters to generate "
      + "(default: ${DEFAULT-VALUE}).", defaultValue = "500")
  private int length;

  @Option(names = "--temperature", paramLabel = "T", description = "Below 1 is safer, above 1 wilder; 0 is greedy "
      + "(default: ${DEFAULT-VALUE}).", defaultValue = "" + Sampler.DEFAULT_TEMPERATURE)
  private double temperature;

  @Option(names = "--top-k", paramLabel = "K", description = "Draw only from the K most likely characters; 0 for "
      + "all (default: ${DEFAULT-VALUE}).", defaultValue = "0")
  private int topK;

  @Option(names = "--top-p", paramLabel = "P", description = "Then draw only from the fewest most likely characters "
      + "whose probabilities add up to at least P, in (0, 1]; 1 for all (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  private double topP;

  @Option(names = "--repetition-penalty", paramLabel = "R", description = "Divide the positive logits of characters "
      + "seen in the last --penalty-window characters by R and multiply their negative ones by R, at least 1; 1 is off "
      + "(default: ${DEFAULT-VALUE}; e.g. 1.2 against loops at low temperature).", defaultValue = "1")
  private double repetitionPenalty;

  @Option(names = "--penalty-window", paramLabel = "W", description = "How many of the latest characters, the prime "
      + "included, --repetition-penalty looks at (default: ${DEFAULT-VALUE}, about a line).",
      defaultValue = "" + Sampler.DEFAULT_PENALTY_WINDOW)
  private int penaltyWindow;

  @Option(names = "--samples", paramLabel = "N", description = "Independent samples from the "
      + "same prime, each with its own random stream; sample 1 is the text a single sample gives "
      + "(default: ${DEFAULT-VALUE}).", defaultValue = "1")
  private int samples;

  @Option(names = "--seed", paramLabel = "N", description = "Random seed: the same seed gives the same text "
      + "(default: ${DEFAULT-VALUE}).", defaultValue = "" + Sampler.DEFAULT_SEED)
  private long seed;

  // nanoGPT's names, for its users' fingers; not listed, so that the help and each error name one flag.
  @Option(names = "--start", paramLabel = "TEXT", hidden = true)
  private String start;

  @Option(names = "--max-new-tokens", paramLabel = "N", hidden = true)
  private Integer maxNewTokens;

  @Option(names = "--num-samples", paramLabel = "N", hidden = true)
  private Integer numSamples;

  @Override
  public Integer call() {
    prime = start != null ? start : prime;
    if (prime != null && prime.startsWith(FROM_FILE)) {
      prime = TextFile.read(Path.of(prime.substring(FROM_FILE.length())));
    }
    length = maxNewTokens != null ? maxNewTokens : length;
    samples = numSamples != null ? numSamples : samples;
    if (length < 0) {
      throw usage("--length must be at least 0, got " + length);
    }
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw usage("--temperature must be a finite number at least 0, got " + temperature);
    }
    if (topK < 0) {
      throw usage("--top-k must be at least 0 (0 keeps all), got " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw usage("--top-p must be more than 0 and at most 1 (1 keeps all), got " + topP);
    }
    if (!(repetitionPenalty >= 1) || Double.isInfinite(repetitionPenalty)) {
      throw usage("--repetition-penalty must be a finite number at least 1 (1 is off), got " + repetitionPenalty);
    }
    if (penaltyWindow < 1) {
      throw usage("--penalty-window must be at least 1, got " + penaltyWindow);
    }
    if (samples < 1) {
      throw usage("--samples must be at least 1, got " + samples);
    }
    Sampler.Options options = new Sampler.Options(temperature, topK, topP, repetitionPenalty, penaltyWindow, seed);
    CheckpointOption.Chosen chosen = checkpoint.resolveBest();
    Checkpoint.Loaded loaded = chosen.load();
    String start = prime == null || prime.isEmpty() ? Sampler.defaultPrime(loaded.vocab()) : prime;
    try {
      // Everything is checked before the first character is written.
      loaded.vocab().encode(start);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--prime: " + e.getMessage(), e);
    }
    if (!quiet) {
      chosen.announce(spec.commandLine().getErr());
    }
    PrintWriter out = spec.commandLine().getOut();
    // The samples are generated side by side: the first is streamed, the others kept until it ends.
    StringBuilder[] later = new StringBuilder[samples - 1];
    for (int s = 1; s < samples; s++) {
      later[s - 1] = new StringBuilder(start);
    }
    if (samples > 1) {
      out.println(separator(0));
    }
    out.print(start);
    int[] unflushed = {0};
    try {
      new Sampler(loaded.model(), loaded.vocab()).generate(start, length, options, samples, (s, cp) -> {
        if (s > 0) {
          later[s - 1].appendCodePoint(cp);
          return;
        }
        out.print(Character.toChars(cp));
        // Flushed at each line's end (and every so often): checkError flushes, and says whether the
        // reader is gone, as when 'sample | head' has what it wanted.
        if ((cp == '\n' || ++unflushed[0] == FLUSH_CHARS) && out.checkError()) {
          throw new ReaderGone();
        }
        unflushed[0] = cp == '\n' ? 0 : unflushed[0] % FLUSH_CHARS;
      });
    } catch (ReaderGone e) {
      return 0;
    }
    out.println();
    for (int s = 1; s < samples; s++) {
      out.println(separator(s));
      out.println(later[s - 1]);
    }
    out.flush();
    return 0;
  }

  /** The prefix of a --prime (or --start) read from a file, as nanoGPT's sample.py has it. */
  static final String FROM_FILE = "FILE:";
  /** The most characters written between checks that the reader is still there. */
  private static final int FLUSH_CHARS = 256;

  /** Standard output was closed by its reader (a pipe into head): sampling stops, its work done. */
  private static final class ReaderGone extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReaderGone() {
      super(null, null, false, false);
    }
  }

  /** A usage error, which exits with {@link Main#USAGE}. */
  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** The line printed before sample {@code s} (from 0) when there are several: {@code --- sample 2 of 3 ---}. */
  private String separator(int s) {
    return "--- sample " + (s + 1) + " of " + samples + " ---";
  }
}
