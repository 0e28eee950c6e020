package dev.tapegrad.rnn.cli;

import dev.tapegrad.rnn.checkpoint.Checkpoint;
import dev.tapegrad.rnn.sample.Sampler;
import dev.tapegrad.rnn.text.CharVocabulary;
import dev.tapegrad.rnn.text.TextFile;
import dev.tapegrad.rnn.visualize.ActivationPage;
import dev.tapegrad.rnn.visualize.ActivationTrace;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code rnn visualize}: one self-contained HTML page (or JSON file) showing what a model computes
 * while it reads a text, or a text it samples itself.
 */
@Command(name = "visualize", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Write one self-contained HTML page showing what the model computes while it reads a text (--text) "
        + "or a text it samples from --prime: each character shaded by the model's surprise on it, the top 5 guesses "
        + "for the next character, the text coloured by any unit of any layer (arrow keys step through the units), "
        + "the units that follow quotes, brackets, the position in the line, word starts and upper case, and the "
        + "gates' saturation. The page loads nothing from the network.", ""},
    footer = {"", "Examples:",
        "  java -jar rnn.jar visualize --text input.txt --out page.html  # newest run",
        "  java -jar rnn.jar visualize --checkpoint runs/a --prime 'ROMEO:' --out p.html",
        "  java -jar rnn.jar visualize --text input.txt --json --out data.json"})
final class VisualizeCommand implements Callable<Integer> {

  /** The most characters a page shows: its size grows with characters × units × layers. */
  static final int MAX_CHARS = 20_000;

  @Spec
  private CommandSpec spec;

  @Mixin
  private CheckpointOption checkpoint;

  @ArgGroup(exclusive = true, multiplicity = "1")
  private Source source;

  /** Where the text comes from: a file, or the model itself. */
  static final class Source {
    @ArgGroup(exclusive = false, heading = "Read a text:%n")
    Read read;

    @ArgGroup(exclusive = false, heading = "Or sample one:%n")
    Sampled sampled;
  }

  /**
   * The text without the characters the vocabulary lacks, saying on {@code err} how many were left out.
   *
   * @throws IllegalArgumentException if none is left
   */
  private static String known(String text, CharVocabulary vocab, PrintWriter err) {
    String normalized = vocab.normalize(text);
    StringBuilder kept = new StringBuilder(normalized.length());
    Set<Integer> missing = new LinkedHashSet<>();
    long skipped = normalized.codePoints().filter(cp -> {
      if (vocab.contains(cp)) {
        kept.appendCodePoint(cp);
        return false;
      }
      missing.add(cp);
      return true;
    }).count();
    if (kept.length() == 0) {
      throw new IllegalArgumentException("no character of the text is in the model's vocabulary");
    }
    if (skipped > 0) {
      err.printf(Locale.ROOT, "skipped %,d characters (--skip-unknown): %s%n", skipped,
          CharVocabulary.missingMessage(missing));
      err.flush();
    }
    return kept.toString();
  }

  /** {@code --text FILE [--max-chars N] [--skip-unknown]}. */
  static final class Read {
    @Option(names = "--text", paramLabel = "FILE", required = true, description = "The UTF-8 text to show; - "
        + "reads standard input.")
    Path text;

    @Option(names = "--skip-unknown", description = "Leave out the characters the model's vocabulary lacks, and say "
        + "how many, instead of refusing the text.")
    boolean skipUnknown;

    @Option(names = "--max-chars", paramLabel = "N", defaultValue = "2000",
        description = "Show only its first N characters, at most " + MAX_CHARS + " (default: ${DEFAULT-VALUE}).")
    int maxChars;
  }

  /** {@code --prime TEXT [--length N] [--temperature T] [--seed S]}. */
  static final class Sampled {
    @Option(names = "--prime", paramLabel = "TEXT", required = true, description = "Sample a text that starts with TEXT.")
    String prime;

    @Option(names = "--length", paramLabel = "N", defaultValue = "500",
        description = "Characters to sample after the prime (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.75",
        description = "Sampling temperature; 0 is greedy (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
        description = "Random seed of the sample (default: ${DEFAULT-VALUE}).")
    long seed;
  }

  @Option(names = "--out", paramLabel = "FILE", required = true, description = "The page to write.")
  private Path out;

  @Option(names = "--json", description = "Write the page's data as JSON instead: the text, each character's loss "
      + "and guesses, and every layer's values after every character.")
  private boolean json;

  @Override
  public Integer call() {
    if (out.toString().isBlank()) {
      throw usage("--out is empty: name the page to write");
    }
    Path dir = out.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("cannot write " + out + ": directory " + dir + " does not exist");
    }
    if (Files.isDirectory(out)) {
      throw new IllegalArgumentException("cannot write " + out + ": it is a directory");
    }
    if (source.read != null && (source.read.maxChars < 1 || source.read.maxChars > MAX_CHARS)) {
      throw usage("--max-chars must be from 1 to " + MAX_CHARS + ", got " + source.read.maxChars);
    }
    Sampled sampled = source.sampled;
    if (sampled != null) {
      if (sampled.length < 0 || sampled.length > MAX_CHARS) {
        throw usage("--length must be from 0 to " + MAX_CHARS + ", got " + sampled.length);
      }
      if (!(sampled.temperature >= 0) || Double.isInfinite(sampled.temperature)) {
        throw usage("--temperature must be a finite number at least 0, got " + sampled.temperature);
      }
    }
    CheckpointOption.Chosen chosen = checkpoint.resolveBest();
    Checkpoint.Loaded loaded = chosen.load();
    String text;
    String description;
    if (source.read != null) {
      String all = TextFile.read(TrainCommand.readable(source.read.text));
      if (source.read.skipUnknown) {
        all = known(all, loaded.vocab(), spec.commandLine().getErr());
      }
      int total = all.codePointCount(0, all.length());
      int shown = Math.min(total, source.read.maxChars);
      text = all.substring(0, all.offsetByCodePoints(0, shown));
      description = shown < total
          ? String.format(Locale.ROOT, "the first %,d of the %,d characters of %s", shown, total, source.read.text)
          : String.format(Locale.ROOT, "%s (%,d characters)", source.read.text, total);
    } else {
      int primeLength = sampled.prime.codePointCount(0, sampled.prime.length());
      if (primeLength + sampled.length > MAX_CHARS) {
        throw usage("--prime and --length make " + (primeLength + sampled.length)
            + " characters; a page shows at most " + MAX_CHARS);
      }
      StringBuilder generated = new StringBuilder(loaded.vocab().normalize(sampled.prime));
      new Sampler(loaded.model(), loaded.vocab()).generate(sampled.prime, sampled.length,
          new Sampler.Options(sampled.temperature, 0, sampled.seed), generated::appendCodePoint);
      text = generated.toString();
      description = String.format(Locale.ROOT, "the prime and %,d characters sampled after it at temperature %s, seed %d",
          sampled.length, sampled.temperature, sampled.seed);
    }
    int[] ids = loaded.vocab().encode(text);
    chosen.announce(spec.commandLine().getErr());
    ActivationTrace trace = ActivationTrace.record(loaded.model(), loaded.vocab(), ids);
    ActivationPage.About about = ActivationPage.About.of(loaded, description);
    if (json) {
      ActivationPage.writeJson(out, trace, about);
    } else {
      ActivationPage.writeHtml(out, trace, about);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf(Locale.ROOT, "wrote %s: %,d characters, %s%s%n", out, trace.length(), size(out),
        json ? "" : "; open it in a browser");
    stdout.flush();
    return 0;
  }

  /** Returns the file's size for people: 812 KB, 7.9 MB. */
  private static String size(Path file) {
    try {
      long bytes = Files.size(file);
      return bytes < 1_000_000 ? String.format(Locale.ROOT, "%,d KB", (bytes + 999) / 1000)
          : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    } catch (IOException e) {
      return "size unknown";
    }
  }

  /** A usage error, which exits with {@link Main#USAGE}. */
  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
