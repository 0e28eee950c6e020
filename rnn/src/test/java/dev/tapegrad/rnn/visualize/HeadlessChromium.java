package dev.tapegrad.rnn.visualize;

import dev.tapegrad.io.Json;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Chromium, headless, driven through the Chrome DevTools Protocol over a WebSocket on
 * loopback, with no library: the handshake and the frames are written here on a plain socket (the
 * JDK's own WebSocket client lives in {@code java.net.http}, which the rnn module does not read).
 *
 * <p>It is started with the flags that work on these machines (as root, with the network closed):
 * {@code --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
 * --disable-background-networking --disable-component-update --disable-sync} and a fresh
 * {@code --user-data-dir}. Every protocol event is kept, so a test can ask afterwards whether the
 * page threw or logged an error, or requested anything but itself.
 */
final class HeadlessChromium implements AutoCloseable {

  /** Where the browser is looked for, in order, after the {@code tapegrad.chromium} system property. */
  private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome",
      "google-chrome-stable");
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on ws://([^:/]+):(\\d+)/");
  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration CALL = Duration.ofSeconds(60);

  private final Process process;
  // the last lines Chromium wrote to its standard error
  private final Deque<String> log;
  private final Socket socket;
  private final OutputStream out;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
  private final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();

  /**
   * Finds a Chromium: the {@code tapegrad.chromium} system property if set, else the first of
   * {@link #NAMES} on the PATH.
   *
   * @return the executable, or empty if there is none
   */
  static Optional<Path> find() {
    String given = System.getProperty("tapegrad.chromium");
    if (given != null && !given.isBlank()) {
      return Optional.of(Path.of(given)).filter(Files::isExecutable);
    }
    String path = System.getenv("PATH");
    for (String name : NAMES) {
      for (String dir : path == null ? new String[0] : path.split(java.io.File.pathSeparator)) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  private HeadlessChromium(Process process, Deque<String> log, Socket socket) throws IOException {
    this.process = process;
    this.log = log;
    this.socket = socket;
    this.out = socket.getOutputStream();
  }

  /**
   * Starts the browser on an empty page and connects to that page.
   *
   * @param binary the executable
   * @param profile an empty directory for its profile
   * @param width the window's width in CSS pixels
   * @param height the window's height
   * @return the connected browser
   * @throws IOException if it cannot be started or reached
   */
  static HeadlessChromium start(Path binary, Path profile, int width, int height) throws IOException {
    List<String> command = List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--hide-scrollbars", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
        "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank");
    Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      Deque<String> log = new ArrayDeque<>();
      CompletableFuture<int[]> port = new CompletableFuture<>();
      Thread drain = new Thread(() -> drain(process.getErrorStream(), log, port), "chromium-stderr");
      drain.setDaemon(true);
      drain.start();
      int debugPort;
      try {
        debugPort = port.get(START.toSeconds(), TimeUnit.SECONDS)[0];
      } catch (InterruptedException | ExecutionException | TimeoutException e) {
        throw new IOException("Chromium did not open its DevTools port within " + START.toSeconds() + " s; it said: "
            + String.join(" | ", snapshot(log)), e);
      }
      String page = pageSocketPath(debugPort);
      Socket socket = new Socket();
      socket.connect(new InetSocketAddress("127.0.0.1", debugPort), 10_000);
      handshake(socket, debugPort, page);
      HeadlessChromium browser = new HeadlessChromium(process, log, socket);
      Thread reader = new Thread(browser::readFrames, "chromium-devtools");
      reader.setDaemon(true);
      reader.start();
      return browser;
    } catch (IOException | RuntimeException e) {
      destroy(process);
      throw e;
    }
  }

  /** Reads the browser's standard error, keeping the last lines, and reports the DevTools port. */
  private static void drain(InputStream err, Deque<String> log, CompletableFuture<int[]> port) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          port.complete(new int[] {Integer.parseInt(m.group(2))});
        }
        synchronized (log) {
          log.addLast(line);
          if (log.size() > 40) {
            log.removeFirst();
          }
        }
      }
      port.completeExceptionally(new IOException("Chromium closed its standard error"));
    } catch (IOException e) {
      port.completeExceptionally(e);
    }
  }

  private static List<String> snapshot(Deque<String> log) {
    synchronized (log) {
      return new ArrayList<>(log);
    }
  }

  /** Asks the DevTools HTTP endpoint for the page target and returns its WebSocket path. */
  private static String pageSocketPath(int port) throws IOException {
    try (Socket http = new Socket()) {
      http.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      http.setSoTimeout(10_000);
      http.getOutputStream().write(("GET /json/list HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      // the server may keep the connection open: read the headers, then Content-Length bytes
      InputStream in = http.getInputStream();
      String head = readHead(in);
      Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
      String body = new String(length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : in.readAllBytes(),
          StandardCharsets.UTF_8);
      for (Object target : (List<?>) Json.parse(body.trim())) {
        Map<?, ?> t = (Map<?, ?>) target;
        if ("page".equals(t.get("type"))) {
          return URI.create((String) t.get("webSocketDebuggerUrl")).getPath();
        }
      }
      throw new IOException("Chromium lists no page: " + body);
    }
  }

  /** The WebSocket opening handshake (RFC 6455, section 4). */
  private static void handshake(Socket socket, int port, String path) throws IOException {
    byte[] nonce = new byte[16];
    new java.util.SplittableRandom().nextBytes(nonce);
    String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
        + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    String head = readHead(socket.getInputStream());
    if (!head.startsWith("HTTP/1.1 101")) {
      throw new IOException("the DevTools socket refused the upgrade: " + head);
    }
  }

  /** Reads an HTTP response's status line and headers, up to the blank line. */
  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the DevTools server closed the connection after: " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }

  /** Reads frames until the socket closes: responses complete their call, events are kept. */
  private void readFrames() {
    try {
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream message = new ByteArrayOutputStream();
      while (true) {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0) {
          break;
        }
        int opcode = b0 & 0x0F;
        long length = b1 & 0x7F;
        if (length == 126) {
          length = (in.read() << 8) | in.read();
        } else if (length == 127) {
          length = 0;
          for (int i = 0; i < 8; i++) {
            length = (length << 8) | in.read();
          }
        }
        byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
        byte[] payload = in.readNBytes((int) length);
        if (mask != null) {
          for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i % 4];
          }
        }
        if (opcode == 8) {
          break;
        }
        if (opcode == 9) {
          send(10, payload);
          continue;
        }
        if (opcode == 0 || opcode == 1) {
          message.write(payload);
          if ((b0 & 0x80) != 0) {
            dispatch(message.toString(StandardCharsets.UTF_8));
            message.reset();
          }
        }
      }
    } catch (IOException e) {
      // the browser went away; pending calls fail below
    }
    pending.values().forEach(f -> f.completeExceptionally(new IOException("the DevTools connection closed")));
  }

  @SuppressWarnings("unchecked")
  private void dispatch(String text) {
    Map<String, Object> message = (Map<String, Object>) Json.parse(text);
    if (message.get("id") instanceof Number id) {
      CompletableFuture<Map<String, Object>> call = pending.remove(id.intValue());
      if (call != null) {
        call.complete(message);
      }
    } else {
      events.add(message);
    }
  }

  /** Writes one masked frame (clients must mask, RFC 6455 section 5.3). */
  private synchronized void send(int opcode, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write(0x80 | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65_536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >> 8);
      frame.write(payload.length & 0xFF);
    } else {
      frame.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) {
        frame.write((int) ((long) payload.length >> (8 * i)) & 0xFF);
      }
    }
    byte[] mask = new byte[4];
    new java.util.SplittableRandom().nextBytes(mask);
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  /**
   * Calls a DevTools method and waits for its result.
   *
   * @param method for example {@code Page.navigate}
   * @param params its parameters
   * @return the result object
   * @throws IllegalStateException if the browser answers with an error
   */
  @SuppressWarnings("unchecked")
  Map<String, Object> call(String method, Map<String, Object> params) {
    int id = ids.incrementAndGet();
    CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
    pending.put(id, answer);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("id", id);
    request.put("method", method);
    request.put("params", params);
    try {
      send(1, Json.write(request).getBytes(StandardCharsets.UTF_8));
      Map<String, Object> response = answer.get(CALL.toSeconds(), TimeUnit.SECONDS);
      if (response.containsKey("error")) {
        throw new IllegalStateException(method + " failed: " + response.get("error"));
      }
      return (Map<String, Object>) response.get("result");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new IllegalStateException(method + " got no answer: " + e + "; Chromium said: "
          + String.join(" | ", snapshot(log)), e);
    }
  }

  /**
   * Evaluates a JavaScript expression in the page, awaiting it if it is a promise.
   *
   * @param expression the expression
   * @return its value as JSON gives it (a String, Double, Long, Boolean, List, Map or null)
   * @throws IllegalStateException if it throws
   */
  Object evaluate(String expression) {
    Map<String, Object> result = call("Runtime.evaluate",
        Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (result.containsKey("exceptionDetails")) {
      throw new IllegalStateException("'" + expression + "' threw: " + result.get("exceptionDetails"));
    }
    return ((Map<?, ?>) result.get("result")).get("value");
  }

  /**
   * Polls a JavaScript condition until it holds.
   *
   * @param expression evaluates to a boolean
   * @param timeout how long to wait
   * @throws IllegalStateException if it does not hold in time
   */
  void waitFor(String expression, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!Boolean.TRUE.equals(evaluate(expression))) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("still not true after " + timeout.toSeconds() + " s: " + expression);
      }
      Thread.sleep(20);
    }
  }

  /** {@return every protocol event received so far, in order} */
  List<Map<String, Object>> events() {
    return List.copyOf(events);
  }

  /** Moves the mouse to (x, y) in CSS pixels of the viewport. */
  void mouseMove(double x, double y) {
    call("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
  }

  /** Clicks the left button at (x, y). */
  void click(double x, double y) {
    mouseMove(x, y);
    for (String type : List.of("mousePressed", "mouseReleased")) {
      call("Input.dispatchMouseEvent", Map.of("type", type, "x", x, "y", y, "button", "left", "clickCount", 1));
    }
  }

  /** Presses and releases a key without text, such as {@code ArrowRight} (Windows key code 39). */
  void press(String key, int windowsKeyCode) {
    for (String type : List.of("rawKeyDown", "keyUp")) {
      call("Input.dispatchKeyEvent", Map.of("type", type, "key", key, "code", key,
          "windowsVirtualKeyCode", windowsKeyCode, "nativeVirtualKeyCode", windowsKeyCode));
    }
  }

  /**
   * Takes a screenshot of the viewport.
   *
   * @return the PNG bytes
   */
  byte[] screenshot() {
    return Base64.getDecoder().decode((String) call("Page.captureScreenshot", Map.of("format", "png")).get("data"));
  }

  /** Ends the browser and every process it started. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // the browser is ended below either way
    }
    destroy(process);
  }

  private static void destroy(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
