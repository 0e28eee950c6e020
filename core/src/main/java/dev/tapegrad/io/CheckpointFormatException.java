package dev.tapegrad.io;

/**
 * Thrown when a checkpoint's bytes do not follow its format: the one exception a reader of
 * untrusted weight files has to catch besides {@link java.io.UncheckedIOException}.
 *
 * <p>The message is a single line that names the file (or {@code <bytes>} for an in-memory
 * buffer) and the problem, for example
 * {@code model.safetensors: tensor 'decoder.bias' has dtype F16; only F32 is supported}. Names
 * taken from the file are quoted and escaped, so a hostile name cannot break the line.
 *
 * <p>It extends {@link IllegalArgumentException} because the file is, in the end, a bad argument:
 * callers that already report bad arguments to their users need no new catch clause.
 */
public final class CheckpointFormatException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message one line naming the source and the problem
   */
  public CheckpointFormatException(String message) {
    super(message);
  }

  /**
   * Creates the exception with the lower-level failure that revealed the problem.
   *
   * @param message one line naming the source and the problem
   * @param cause the underlying failure, for example a JSON syntax error
   */
  public CheckpointFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
