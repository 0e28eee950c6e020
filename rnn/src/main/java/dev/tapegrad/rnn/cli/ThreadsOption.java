package dev.tapegrad.rnn.cli;

import dev.tapegrad.tensor.Backend;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.FutureTask;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --threads N} option of {@code train} and {@code bench}, a picocli mixin: the command's
 * work runs in a {@link ForkJoinPool} of N threads, so its matrix products use at most N threads
 * (a product runs in the pool of the thread that calls it; see {@link Backend}). Nothing global
 * changes, and the results do not depend on N. Without the option the work runs on the calling
 * thread, and a product may use every core.
 */
final class ThreadsOption {

  /** The largest parallelism a {@link ForkJoinPool} accepts. */
  static final int MAX_THREADS = 0x7fff;

  /** The command this option belongs to, for its usage errors. */
  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads for the kernels (default: all cores); "
      + "results do not depend on it.")
  private Integer threads;

  /**
   * Runs {@code work}, in a pool of {@code --threads} threads when the option is given, while
   * the calling thread waits. An exception it throws reaches the caller as it was thrown (not
   * wrapped), so a user error still prints one line. Stop signals work as without the pool:
   * {@link StopSignals} only asks the trainer to stop, from whichever thread the signal arrives on.
   *
   * @param work the command's work
   * @param <T> its result type
   * @return its result
   * @throws ParameterException a usage error, if {@code --threads} is outside [1, {@value #MAX_THREADS}]
   * @throws Exception what {@code work} throws
   */
  <T> T run(Callable<T> work) throws Exception {
    if (threads == null) {
      return work.call();
    }
    if (threads < 1) {
      throw new ParameterException(command.commandLine(), "--threads must be at least 1, got " + threads);
    }
    if (threads > MAX_THREADS) {
      throw new ParameterException(command.commandLine(), "--threads must be at most " + MAX_THREADS + ", got "
          + threads);
    }
    ForkJoinPool pool = new ForkJoinPool(threads);
    // A FutureTask keeps the original exception (a ForkJoinTask may hand back a copy made in this thread).
    FutureTask<T> task = new FutureTask<>(work);
    try {
      pool.execute(task);
      return task.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception thrown) {
        throw thrown;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    } finally {
      pool.shutdown();
    }
  }
}
