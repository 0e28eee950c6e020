package dev.tapegrad.rnn.cli;

import dev.tapegrad.rnn.Checkpoint;
import dev.tapegrad.rnn.Sampler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnn sample}: generates text from a trained model, streaming it to standard output. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Generate text from a trained model: prime it with --prime, then draw each next character from",
        "softmax(logits / temperature).", ""},
    footer = {"", "Examples:",
        "  java -jar rnn.jar sample                                     # the newest run under ./runs",
        "  java -jar rnn.jar sample --checkpoint runs/shakespeare --prime 'ROMEO:' --length 500",
        "  java -jar rnn.jar sample --checkpoint model.safetensors --temperature 0   # greedy"})
final class SampleCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--checkpoint", paramLabel = "DIR_OR_FILE",
      description = "A run directory or a model.safetensors file (default: the newest run under ./runs).")
  private Path checkpoint;

  @Option(names = "--prime", description = "Text to start from; it is printed, then continued (default: a newline, "
      + "or the vocabulary's first character).")
  private String prime;

  @Option(names = "--length", description = "Characters to generate (default: ${DEFAULT-VALUE}).", defaultValue = "500")
  private int length;

  @Option(names = "--temperature", description = "Below 1 is safer, above 1 wilder; 0 is greedy (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.75")
  private double temperature;

  @Option(names = "--top-k", description = "Draw only from the k most likely characters; 0 for all (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  private int topK;

  @Option(names = "--seed", description = "Random seed: the same seed gives the same text (default: ${DEFAULT-VALUE}).",
      defaultValue = "42")
  private long seed;

  @Override
  public Integer call() {
    if (length < 0) {
      throw new IllegalArgumentException("--length must be at least 0, got " + length);
    }
    Sampler.Options options = new Sampler.Options(temperature, topK, seed);
    Checkpoint.Loaded loaded = Checkpoint.loadModel(Runs.resolveCheckpoint(checkpoint));
    String start = prime;
    if (start == null || start.isEmpty()) {
      start = loaded.vocab().contains('\n') ? "\n" : new String(Character.toChars(loaded.vocab().codePoint(0)));
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(start);
    new Sampler(loaded.model(), loaded.vocab()).generate(start, length, options, cp -> {
      out.print(Character.toChars(cp));
      if (cp == '\n') {
        out.flush();
      }
    });
    out.println();
    out.flush();
    return 0;
  }
}
