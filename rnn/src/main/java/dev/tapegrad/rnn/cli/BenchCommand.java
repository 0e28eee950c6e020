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
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rnn bench}: a quick throughput report for the notebook's model on this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measure training and sampling speed of the notebook's model (GRU hidden 512, seq 100, vocab 65) "
        + "on this machine: medians of a few timed rounds, each after a warm-up that lasts until the JIT has stopped "
        + "compiling, with the rate of the matrix products' work beside the machine's measured peak (a minute or two).",
        ""})
final class BenchCommand implements Callable<Integer> {

  /** How long the peak is measured. */
  private static final long PEAK_MILLIS = 1000;

  @Spec
  private CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON object: train_chars_per_s_b1, train_chars_per_s_b32, "
      + "sample_chars_per_s, their _gflops, warmup_s, peak_gflops, backend.")
  private boolean json;

  @Option(names = "--rounds", paramLabel = "N", description = "Timed rounds per figure (default: ${DEFAULT-VALUE}).",
      defaultValue = "5")
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
      throw new ParameterException(spec.commandLine(), "--rounds must be at least 1, got " + rounds);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (!json) {
      out.println("backend: " + Backend.current());
      out.flush();
    }
    double peak = Backend.measurePeakGflops(PEAK_MILLIS);
    if (!json) {
      out.printf(Locale.ROOT, "%-16s %,10.0f GFLOP/s (fused multiply-adds on registers, all threads)%n", "peak", peak);
      out.flush();
    }
    ThroughputBenchmark.Figure b1 = report(out, "train, batch 1", ThroughputBenchmark.train(1, rounds, 10), peak);
    ThroughputBenchmark.Figure b32 = report(out, "train, batch 32", ThroughputBenchmark.train(32, rounds, 2), peak);
    ThroughputBenchmark.Figure sample = report(out, "sample", ThroughputBenchmark.sample(rounds, 2000), peak);
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("train_chars_per_s_b1", b1.charsPerSecond());
      m.put("train_chars_per_s_b32", b32.charsPerSecond());
      m.put("sample_chars_per_s", sample.charsPerSecond());
      m.put("train_gflops_b1", b1.gflops());
      m.put("train_gflops_b32", b32.gflops());
      m.put("sample_gflops", sample.gflops());
      m.put("peak_gflops", peak);
      m.put("warmup_s", b1.warmupSeconds() + b32.warmupSeconds() + sample.warmupSeconds());
      m.put("steady", b1.steady() && b32.steady() && sample.steady());
      m.put("backend", Backend.current().toString());
      out.println(Json.write(m));
    }
    out.flush();
    return 0;
  }

  private ThroughputBenchmark.Figure report(PrintWriter out, String what, ThroughputBenchmark.Figure figure,
      double peak) {
    if (!json) {
      out.printf(Locale.ROOT, "%-16s %,10.0f chars/s  %6.1f GFLOP/s (%.0f%% of peak)  after %.1f s of warm-up%s%n", what,
          figure.charsPerSecond(), figure.gflops(), 100 * figure.gflops() / peak, figure.warmupSeconds(),
          figure.steady() ? "" : " (the JIT was still compiling)");
      out.flush();
    }
    return figure;
  }
}
