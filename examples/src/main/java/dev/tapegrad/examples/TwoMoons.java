package dev.tapegrad.examples;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.AbstractModule;
import dev.tapegrad.ops.Expr;
import dev.tapegrad.optim.Sgd;
import dev.tapegrad.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A binary classifier learns the two interleaved half circles of scikit-learn's
 * {@code make_moons}, the dataset of micrograd's demo, and draws its decision boundary.
 *
 * <pre>
 *   points (N×2) → Linear(2, 16) → relu → Linear(16, 16) → relu → Linear(16, 2) → logits
 *   loss = mean cross-entropy with the moon each point came from; SGD with momentum 0.9
 * </pre>
 *
 * <p>No single line separates the moons, so the two hidden ReLU layers must bend the boundary
 * around the tip of each. The whole training set is one batch. After training, the model
 * classifies a grid over the plane, and {@link #svg} draws it: each cell tinted by the predicted
 * moon, the training points on top. Run it with
 * {@code java -cp examples/target/examples.jar dev.tapegrad.examples.TwoMoons [out.svg]}
 * (default {@code two-moons.svg}).
 */
public final class TwoMoons {

  /** Points per moon in the training set (and in the held-out set). */
  static final int POINTS_PER_MOON = 100;
  /** The standard deviation of the Gaussian noise added to each coordinate. */
  static final double NOISE = 0.1;
  /** Width of the two hidden layers. */
  static final int HIDDEN = 16;
  /** Cells per side of the grid the boundary is drawn on. */
  static final int GRID = 48;
  /** The left edge of the plane drawn. */
  static final double X_MIN = -1.6;
  /** The right edge. */
  static final double X_MAX = 2.6;
  /** The bottom edge. */
  static final double Y_MIN = -1.1;
  /** The top edge. */
  static final double Y_MAX = 1.6;

  /**
   * The classifier: three linear layers with ReLU between them, Linear(2, 16), Linear(16, 16) and
   * Linear(16, 2), each registered as it is made under the name of its field, which names its
   * parameters ({@code hidden1.weight} … {@code output.bias}).
   */
  static final class Mlp extends AbstractModule {
    final Linear hidden1;
    final Linear hidden2;
    final Linear output;

    private Mlp(RandomGenerator random) {
      hidden1 = register("hidden1", Linear.create(2, HIDDEN, random));
      hidden2 = register("hidden2", Linear.create(HIDDEN, HIDDEN, random));
      output = register("output", Linear.create(HIDDEN, 2, random));
    }

    static Mlp create(RandomGenerator random) {
      return new Mlp(random);
    }

    /** {@return the two logits of each point} */
    Expr logits(Tape tape, Variable points) {
      return Expr.of(tape, points).then(hidden1::forward).relu().then(hidden2::forward).relu()
          .then(output::forward);
    }

    /** {@return the predicted moon of each point: the larger logit's index} */
    int[] predict(Tensor points) {
      Tape tape = new Tape();
      try (Tape.NoGrad off = tape.noGrad()) {
        float[] logits = logits(tape, Variable.constant(points)).value().data();
        int[] moon = new int[points.dim(0)];
        for (int i = 0; i < moon.length; i++) {
          moon[i] = logits[2 * i + 1] > logits[2 * i] ? 1 : 0;
        }
        return moon;
      }
    }
  }

  /**
   * Points and the moon each belongs to.
   *
   * @param points N×2 coordinates
   * @param moons the moon of each point, 0 (upper) or 1 (lower)
   */
  record Moons(Tensor points, int[] moons) {}

  /**
   * What a run learned.
   *
   * @param losses the loss after each step (nats)
   * @param trainAccuracy the share of training points classified correctly after training
   * @param testAccuracy the share of held-out points (drawn from the same distribution) classified
   *     correctly
   * @param svg the decision boundary and the training points, as an SVG document
   */
  public record Result(List<Double> losses, double trainAccuracy, double testAccuracy, String svg) {
    /**
     * Copies the list.
     *
     * @param losses the loss after each step
     * @param trainAccuracy the training accuracy
     * @param testAccuracy the held-out accuracy
     * @param svg the drawing
     */
    public Result {
      losses = List.copyOf(losses);
    }
  }

  private TwoMoons() {}

  /**
   * Trains from a seed, prints the accuracy and writes the drawing.
   *
   * @param args the SVG file to write, optionally (default {@code two-moons.svg})
   */
  public static void main(String[] args) {
    Result r = train(7, 300, System.out);
    Path out = Path.of(args.length > 0 ? args[0] : "two-moons.svg");
    try {
      Files.writeString(out, r.svg());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out, e);
    }
    System.out.printf(Locale.ROOT, "accuracy %.1f%% on the training points, %.1f%% on held-out ones; "
        + "decision boundary in %s%n", 100 * r.trainAccuracy(), 100 * r.testAccuracy(), out);
  }

  /**
   * Draws two moons of points, as {@code sklearn.datasets.make_moons}: the upper half circle
   * (cos t, sin t) and the lower one (1 − cos t, 1/2 − sin t), t evenly spaced in [0, π], with
   * Gaussian noise on each coordinate.
   *
   * @param perMoon points per moon
   * @param random the source of the noise
   * @return the points, upper moon first
   */
  static Moons moons(int perMoon, RandomGenerator random) {
    Tensor points = Tensor.zeros(2 * perMoon, 2);
    int[] moons = new int[2 * perMoon];
    for (int i = 0; i < perMoon; i++) {
      double t = Math.PI * i / (perMoon - 1);
      set(points, i, Math.cos(t), Math.sin(t), random);
      set(points, perMoon + i, 1 - Math.cos(t), 0.5 - Math.sin(t), random);
      moons[perMoon + i] = 1;
    }
    return new Moons(points, moons);
  }

  private static void set(Tensor points, int row, double x, double y, RandomGenerator random) {
    points.set((float) (x + NOISE * random.nextGaussian()), row, 0);
    points.set((float) (y + NOISE * random.nextGaussian()), row, 1);
  }

  /**
   * Trains a fresh classifier on one draw of the moons and tests it on another.
   *
   * @param seed seeds the points, the initial weights and the held-out points
   * @param steps SGD steps, each on the whole training set
   * @param log receives a line every 50 steps, or {@code null} for silence
   * @return the losses, the accuracies and the drawing
   */
  public static Result train(long seed, int steps, PrintStream log) {
    SplittableRandom random = new SplittableRandom(seed);
    Moons train = moons(POINTS_PER_MOON, random);
    Mlp model = Mlp.create(random);
    Sgd sgd = Sgd.builder().lr(0.1).momentum(0.9).build(model.namedParameters());
    Variable points = Variable.constant(train.points());

    List<Double> losses = new ArrayList<>();
    for (int step = 1; step <= steps; step++) {
      sgd.zeroGrad();
      Expr loss = model.logits(new Tape(), points).crossEntropy(train.moons());
      loss.backward();
      sgd.step();
      losses.add((double) loss.value().item());
      if (log != null && step % 50 == 0) {
        log.printf(Locale.ROOT, "step %4d  loss %.4f%n", step, loss.value().item());
      }
    }
    Moons test = moons(POINTS_PER_MOON, random);
    return new Result(losses, accuracy(model, train), accuracy(model, test), svg(model, train));
  }

  private static double accuracy(Mlp model, Moons moons) {
    int[] predicted = model.predict(moons.points());
    int right = 0;
    for (int i = 0; i < predicted.length; i++) {
      right += predicted[i] == moons.moons()[i] ? 1 : 0;
    }
    return (double) right / predicted.length;
  }

  /**
   * Draws the decision boundary: a {@value #GRID}×{@value #GRID} grid of cells over the plane,
   * each tinted by the moon the model predicts at its centre, and the points on top, circled in
   * their own moon's colour.
   *
   * @param model the classifier
   * @param moons the points to draw
   * @return a self-contained SVG document
   */
  static String svg(Mlp model, Moons moons) {
    double cell = 10;
    double width = GRID * cell;
    double height = GRID * cell;
    String[] tint = {"#c6dbef", "#fdd0a2"};
    String[] colour = {"#2171b5", "#d94801"};
    // the centre of every cell, row by row from the top
    Tensor centres = Tensor.zeros(GRID * GRID, 2);
    for (int row = 0; row < GRID; row++) {
      for (int col = 0; col < GRID; col++) {
        centres.set((float) (X_MIN + (col + 0.5) * (X_MAX - X_MIN) / GRID), row * GRID + col, 0);
        centres.set((float) (Y_MAX - (row + 0.5) * (Y_MAX - Y_MIN) / GRID), row * GRID + col, 1);
      }
    }
    int[] predicted = model.predict(centres);
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
        + "viewBox=\"0 0 %.0f %.0f\">%n", width, height, width, height));
    svg.append("<title>Two moons: the decision boundary of Linear(2, 16), relu, Linear(16, 16), relu, Linear(16, 2)"
        + "</title>\n");
    for (int row = 0; row < GRID; row++) {
      for (int col = 0; col < GRID; col++) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" "
            + "fill=\"%s\"/>%n", col * cell, row * cell, cell, cell, tint[predicted[row * GRID + col]]));
      }
    }
    float[] p = moons.points().data();
    for (int i = 0; i < moons.moons().length; i++) {
      double x = (p[2 * i] - X_MIN) / (X_MAX - X_MIN) * width;
      double y = (Y_MAX - p[2 * i + 1]) / (Y_MAX - Y_MIN) * height;
      svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\" stroke=\"white\"/>%n",
          x, y, colour[moons.moons()[i]]));
    }
    return svg.append("</svg>\n").toString();
  }
}
