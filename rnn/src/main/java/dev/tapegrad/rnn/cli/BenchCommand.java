package dev.tapegrad.rnn.cli;

import dev.tapegrad.io.Json;
import dev.tapegrad.tensor.Backend;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnn bench}: a quick throughput report for the notebook's model on this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measure training and sampling speed of the notebook's model (GRU hidden 512, seq 100, vocab 65)",
        "on this machine: medians of a few timed rounds after a warm-up (about a minute in all).", ""})
final class BenchCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON object: train_chars_per_s_b1, train_chars_per_s_b32, "
      + "sample_chars_per_s, backend.")
  private boolean json;

  @Option(names = "--rounds", description = "Timed rounds per figure (default: ${DEFAULT-VALUE}).", defaultValue = "5")
  private int rounds;

  @Mixin
  private ThreadsOption threads;

  @Override
  public Integer call() throws Exception {
    return threads.run(this::bench);
  }

  /** Measures and reports; runs in the pool of {@code --threads}, so the backend line names its threads. */
  private int bench() {
    if (rounds < 1) {
      throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (!json) {
      out.println("backend: " + Backend.current());
      out.flush();
    }
    double b1 = ThroughputBenchmark.trainCharsPerSecond(1, rounds, 10);
    report(out, "train, batch 1", b1);
    double b32 = ThroughputBenchmark.trainCharsPerSecond(32, rounds, 2);
    report(out, "train, batch 32", b32);
    double sample = ThroughputBenchmark.sampleCharsPerSecond(rounds, 2000);
    report(out, "sample", sample);
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("train_chars_per_s_b1", b1);
      m.put("train_chars_per_s_b32", b32);
      m.put("sample_chars_per_s", sample);
      m.put("backend", Backend.current().toString());
      out.println(Json.write(m));
    }
    out.flush();
    return 0;
  }

  private void report(PrintWriter out, String what, double charsPerSecond) {
    if (!json) {
      out.printf(Locale.ROOT, "%-16s %,10.0f chars/s%n", what, charsPerSecond);
      out.flush();
    }
  }
}
