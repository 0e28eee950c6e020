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
import picocli.CommandLine.Spec;

/** {@code rnn eval}: measures a model's cross-entropy on a text file. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measure how well a model predicts a text: the mean cross-entropy of each next character given",
        "all previous ones (the hidden state starts at zeros and is carried through the whole file).", ""},
    footer = {"", "Examples:", "  java -jar rnn.jar eval --checkpoint runs/shakespeare --data held-out.txt --json",
        "  java -jar rnn.jar eval --checkpoint runs/shakespeare/best-model.safetensors --data input.txt --held-out 0.1"})
final class EvalCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Mixin
  private CheckpointOption checkpoint;

  @Option(names = "--data", paramLabel = "FILE", required = true, description = "The UTF-8 text to evaluate on.")
  private Path data;

  @Option(names = "--held-out", paramLabel = "FRACTION", description = "Evaluate only the last FRACTION of the file: "
      + "the part that 'train --val-fraction FRACTION' held out (default: the whole file).")
  private Double heldOut;

  @Option(names = "--json", description = "Print one JSON object: chars, nats_per_char, bits_per_char.")
  private boolean json;

  @Override
  public Integer call() {
    Checkpoint.Loaded loaded = Checkpoint.loadModel(checkpoint.resolve());
    if (heldOut != null && !(heldOut > 0 && heldOut < 1)) {
      throw new IllegalArgumentException("--held-out must be in (0, 1), got " + heldOut);
    }
    EncodedText text = TextFile.encode(data, loaded.vocab());
    if (heldOut != null) {
      text = text.trainValidationSplit(heldOut).validation();
    }
    Evaluator.Result r = Evaluator.evaluate(loaded.model(), text, Evaluator.DEFAULT_CHUNK);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("chars", r.chars());
      m.put("nats_per_char", r.natsPerChar());
      m.put("bits_per_char", r.bitsPerChar());
      out.println(Json.write(m));
    } else {
      out.printf(Locale.ROOT, "%.4f nats/char | %.4f bits/char | %,d characters predicted%n", r.natsPerChar(),
          r.bitsPerChar(), r.chars());
    }
    out.flush();
    return 0;
  }
}
