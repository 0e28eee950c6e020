package dev.tapegrad.io;

/**
 * Thrown when a file's bytes do not follow the safetensors format (or, for a file that
 * {@link Safetensors} read, the conventions its caller checks on top of it, such as a char model's
 * metadata): the one exception a reader of untrusted weight files has to catch besides
 * {@link java.io.UncheckedIOException}.
 *
 * <p>The message is a single line that names the file (or {@code <bytes>} for an in-memory
 * buffer) and the problem, for example
 * {@code model.safetensors: tensor 'decoder.bias' has dtype F16; only F32 is supported}. Names
 * taken from the file are quoted and escaped, so a hostile name cannot break the line.
 *
 * <p>It extends {@link IllegalArgumentException} because the file is, in the end, a bad argument:
 * callers that already report bad arguments to their users need no new catch clause.
 */
public final class SafetensorsFormatException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message one line naming the source and the problem
   */
  public SafetensorsFormatException(String message) {
    super(message);
  }

  /**
   * Creates the exception with the lower-level failure that revealed the problem.
   *
   * @param message one line naming the source and the problem
   * @param cause the underlying failure, for example a JSON syntax error
   */
  public SafetensorsFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
