package dev.tapegrad.rnn.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws the loss curve as a self-contained SVG image, as the notebook plotted its cost: the
 * training loss through the run (thin line), at each epoch's end (dots), the validation loss
 * (orange), and the learning rate (dashed green, on its own axis at the right), against the step.
 * The axes are ticked at round values (1, 2 or 5 times a power of ten) with a light grid.
 */
public final class LossPlot {

  private static final int WIDTH = 760;
  private static final int HEIGHT = 420;
  private static final int LEFT = 64;
  private static final int RIGHT = 72;
  private static final int TOP = 44;
  private static final int BOTTOM = 52;
  /** About this many intervals between ticks on an axis. */
  private static final int TICKS = 5;

  private static final String TRAIN = "#4a7ebb";
  private static final String EPOCH = "#1f3f7f";
  private static final String VALIDATION = "#e07b00";
  private static final String RATE = "#3a9a4a";
  private static final String GRID = "#e6e6e6";

  private LossPlot() {}

  /**
   * Returns the SVG document.
   *
   * @param steps (step, loss) points of the training loss through the run
   * @param epochTrain (step, loss) at each epoch's end
   * @param epochVal (step, validation loss) at each measurement
   * @param learningRate (step, learning rate) points through the run
   * @return the SVG text
   */
  public static String svg(List<double[]> steps, List<double[]> epochTrain, List<double[]> epochVal,
      List<double[]> learningRate) {
    double maxStep = 0;
    double minLoss = Double.POSITIVE_INFINITY;
    double maxLoss = Double.NEGATIVE_INFINITY;
    for (List<double[]> series : List.of(steps, epochTrain, epochVal)) {
      for (double[] p : series) {
        maxStep = Math.max(maxStep, p[0]);
        minLoss = Math.min(minLoss, p[1]);
        maxLoss = Math.max(maxLoss, p[1]);
      }
    }
    double maxRate = 0;
    for (double[] p : learningRate) {
      maxStep = Math.max(maxStep, p[0]);
      maxRate = Math.max(maxRate, p[1]);
    }
    if (!(minLoss <= maxLoss)) {
      minLoss = 0;
      maxLoss = 1;
    }
    Axis x = Axis.of(0, Math.max(maxStep, 1));
    Axis y = Axis.of(minLoss, maxLoss);
    Axis rate = Axis.of(0, maxRate > 0 ? maxRate : 1);
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;

    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT));
    sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\">Loss (nats per character)</text>%n",
        LEFT));
    // The grid and the tick labels, at the round values of each axis.
    for (double v : y.ticks()) {
      double py = TOP + plotH * (1 - y.fraction(v));
      sb.append(line(LEFT, py, LEFT + plotW, py, GRID));
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6,
          py + 4, y.label(v)));
    }
    for (double v : x.ticks()) {
      double px = LEFT + plotW * x.fraction(v);
      sb.append(line(px, TOP, px, TOP + plotH, GRID));
      sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px,
          TOP + plotH + 18, x.label(v)));
    }
    if (!learningRate.isEmpty()) {
      for (double v : rate.ticks()) {
        double py = TOP + plotH * (1 - rate.fraction(v));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" fill=\"%s\">%s</text>%n", LEFT + plotW + 6,
            py + 4, RATE, rate.label(v)));
      }
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\" text-anchor=\"end\">learning rate"
          + "</text>%n", WIDTH - 8, TOP - 8, RATE));
    }
    sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
        + "stroke=\"#888\"/>%n", LEFT, TOP, plotW, plotH));
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">step</text>%n",
        LEFT + plotW / 2, HEIGHT - 12));

    Frame loss = new Frame(x, y, plotW, plotH);
    polyline(sb, steps, loss, TRAIN, "");
    polyline(sb, learningRate, new Frame(x, rate, plotW, plotH), RATE, " stroke-dasharray=\"5,3\"");
    for (double[] p : epochTrain) {
      dot(sb, p, loss, EPOCH);
    }
    polyline(sb, epochVal, loss, VALIDATION, "");
    for (double[] p : epochVal) {
      dot(sb, p, loss, VALIDATION);
    }
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">train</text>"
        + "<text x=\"%d\" y=\"%d\" fill=\"%s\">validation</text>%n", LEFT + 220, TOP - 8, EPOCH, LEFT + 265,
        TOP - 8, VALIDATION));
    sb.append("</svg>\n");
    return sb.toString();
  }

  /**
   * An axis from a round value below the data to a round value above it, ticked every 1, 2 or 5
   * times a power of ten, so that there are about {@value #TICKS} intervals.
   *
   * @param from the first tick
   * @param to the last tick
   * @param step the distance between ticks
   * @param decimals the decimals its labels need
   */
  record Axis(double from, double to, double step, int decimals) {

    static Axis of(double min, double max) {
      double span = max - min;
      if (!(span > 0)) {
        // One value: a unit around it, so that it sits in the middle.
        double half = min == 0 ? 0.5 : Math.abs(min) / 2;
        return of(min - half, max + half);
      }
      double rough = span / TICKS;
      double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
      double r = rough / magnitude;
      double step = (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * magnitude;
      int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
      return new Axis(Math.floor(min / step + 1e-9) * step, Math.ceil(max / step - 1e-9) * step, step, decimals);
    }

    List<Double> ticks() {
      List<Double> ticks = new ArrayList<>();
      long n = Math.round((to - from) / step);
      for (long i = 0; i <= n; i++) {
        ticks.add(from + i * step + 0.0);  // + 0.0 turns -0.0 into 0.0
      }
      return ticks;
    }

    double fraction(double v) {
      return (v - from) / (to - from);
    }

    String label(double v) {
      return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
  }

  /** Maps data to the plot's pixels. */
  private record Frame(Axis x, Axis y, int width, int height) {
    double px(double v) {
      return LEFT + width * x.fraction(v);
    }

    double py(double v) {
      return TOP + height * (1 - y.fraction(v));
    }
  }

  private static String line(double x1, double y1, double x2, double y2, String color) {
    return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n", x1,
        y1, x2, y2, color);
  }

  private static void polyline(StringBuilder sb, List<double[]> points, Frame frame, String color, String style) {
    if (points.size() < 2) {
      return;
    }
    sb.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.5\"").append(style)
        .append(" points=\"");
    for (double[] p : points) {
      sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", frame.px(p[0]), frame.py(p[1])));
    }
    sb.append("\"/>\n");
  }

  private static void dot(StringBuilder sb, double[] p, Frame frame, String color) {
    sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", frame.px(p[0]),
        frame.py(p[1]), color));
  }
}
