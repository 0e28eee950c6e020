package dev.tapegrad.rnn.cli;

import dev.tapegrad.io.Json;
import dev.tapegrad.rnn.checkpoint.Checkpoint;
import dev.tapegrad.rnn.text.EncodedText;
import dev.tapegrad.rnn.text.TextFile;
import dev.tapegrad.rnn.train.Evaluator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code eval}: measures a model's cross-entropy on a text file. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measure how well a model predicts a text. It prints the mean cross-entropy of each next "
        + "character given all previous ones (the hidden state starts at zeros and is carried through the whole "
        + "file). A text with "
        + "characters the model does not know is refused, unless --skip-unknown leaves them out.", ""},
    footer = {"", "Examples:",
        "  ${ROOT-COMMAND-NAME} eval --checkpoint runs/mine --data held-out.txt",
        "  ${ROOT-COMMAND-NAME} eval --data input.txt --held-out 0.1 --json",
        "",
        "The second evaluates the newest run under ./runs on the last tenth of input.txt, the part that "
            + "'train --val-fraction 0.1' held out, and prints JSON."})
final class EvalCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Mixin
  private CheckpointOption checkpoint;

  @Option(names = "--data", paramLabel = "FILE", required = true, description = "The UTF-8 text to evaluate on; - "
      + "reads standard input.")
  private Path data;

  @Option(names = "--held-out", paramLabel = "F", description = "Evaluate only the last F of the file, a fraction: "
      + "the part that 'train --val-fraction F' held out (default: the whole file).")
  private Double heldOut;

  @Option(names = "--skip-unknown", description = "Leave out the characters the model's vocabulary lacks (their "
      + "neighbours become adjacent), and say how many, instead of refusing the text.")
  private boolean skipUnknown;

  @Option(names = "--json", description = "Print one JSON object: chars, nats_per_char, bits_per_char (and "
      + "skipped, with --skip-unknown).")
  private boolean json;

  @Override
  public Integer call() {
    if (heldOut != null && !(heldOut > 0 && heldOut < 1)) {
      throw new ParameterException(spec.commandLine(), "--held-out must be in (0, 1), got " + heldOut);
    }
    CheckpointOption.Chosen chosen = checkpoint.resolve();
    Checkpoint.Loaded loaded = chosen.load();
    TextFile.Known known = TextFile.encodeKnown(TrainCommand.readable(data), loaded.vocab());
    if (known.skipped() > 0 && !skipUnknown) {
      throw new IllegalArgumentException(known.unknown() + "; --skip-unknown evaluates the rest");
    }
    EncodedText text = known.text();
    if (heldOut != null) {
      try {
        text = text.trainValidationSplit(heldOut).validation();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "%s has %,d characters, too few to take "
            + "--held-out %s of them", data, text.length(), heldOut), e);
      }
    }
    if (text.length() < 2) {
      throw new IllegalArgumentException(data + " has " + text.length()
          + (text.length() == 1 ? " character" : " characters") + (skipUnknown ? " the model knows" : "")
          + " to evaluate; it takes at least 2, one to predict from");
    }
    chosen.announce(spec.commandLine().getErr());
    Evaluator.Result r = Evaluator.evaluate(loaded.model(), text, Evaluator.DEFAULT_CHUNK);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("chars", r.chars());
      m.put("nats_per_char", r.natsPerChar());
      m.put("bits_per_char", r.bitsPerChar());
      if (skipUnknown) {
        m.put("skipped", known.skipped());
      }
      out.println(Json.write(m));
    } else {
      String skipped = known.skipped() == 0 ? "" : String.format(Locale.ROOT, " | %,d skipped: %s", known.skipped(),
          known.unknown());
      out.printf(Locale.ROOT, "%.4f nats/char | %.4f bits/char | %,d characters predicted%s%n", r.natsPerChar(),
          r.bitsPerChar(), r.chars(), skipped);
    }
    out.flush();
    return 0;
  }
}
