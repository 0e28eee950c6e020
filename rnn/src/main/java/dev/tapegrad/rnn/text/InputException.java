package dev.tapegrad.rnn.text;

/**
 * Thrown when a user-supplied input, such as a training text file, cannot be used. The message is
 * one line that names the input and says what is wrong and, where it helps, what is expected, so a
 * command line can print it as it is.
 *
 * <p>It extends {@link IllegalArgumentException}: a bad input file is a bad argument.
 */
public final class InputException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message one line naming the input and the problem
   */
  public InputException(String message) {
    super(message);
  }

  /**
   * Creates the exception with the failure that revealed the problem.
   *
   * @param message one line naming the input and the problem
   * @param cause the underlying failure
   */
  public InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
