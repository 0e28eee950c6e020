package dev.tapegrad.bench;

import dev.tapegrad.kernel.FmaKernels;
import dev.tapegrad.kernel.FmaSimd;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * This machine's floating-point peak: independent chains of fused multiply-adds on registers
 * ({@link FmaSimd#peakSimd}), no memory traffic, so nothing a kernel does can beat it. Read the
 * secondary score {@code :flops}, floating-point operations per second (divide by 10⁹ for
 * GFLOP/s); the primary score counts calls. {@code onOneCore} runs on one thread,
 * {@code onTwoCores} on two at once (JMH adds their counts), the machine's whole peak that
 * {@code rnn.jar bench --json} compares its training step with.
 *
 * <pre>{@code
 * java -jar bench/target/benchmarks.jar FmaPeakBench -f 1 -wi 3 -i 5
 * }</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class FmaPeakBench {

  /** Rounds of FMAs per call: about a millisecond at tens of GFLOP/s. */
  private static final long ROUNDS = 100_000;

  /** Each thread's count of the flops it did: JMH reports it per second, summed over the threads. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Flops {
    /** Flops done so far in the iteration. */
    public long flops;

    /** Flops per call: 2 per FMA, {@link FmaKernels#CHAINS} chains of L lanes per round. */
    private final long perCall = 2L * FmaKernels.CHAINS * FloatVector.SPECIES_PREFERRED.length() * ROUNDS;

    float count() {
      flops += perCall;
      return 1f;
    }
  }

  /**
   * The peak of one core.
   *
   * @param counter this thread's flop count
   * @return the loop's result, for JMH to consume
   */
  @Benchmark
  @Threads(1)
  public float onOneCore(Flops counter) {
    return FmaSimd.peakSimd(ROUNDS, counter.count());
  }

  /**
   * The peak of two cores, each running the loop.
   *
   * @param counter this thread's flop count
   * @return the loop's result, for JMH to consume
   */
  @Benchmark
  @Threads(2)
  public float onTwoCores(Flops counter) {
    return FmaSimd.peakSimd(ROUNDS, counter.count());
  }
}
