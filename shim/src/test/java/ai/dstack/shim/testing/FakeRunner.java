package ai.dstack.shim.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for the runner, packaged alone into a jar by {@link FakeRunnerJar}: listens on {@code
 * --port}, answers {@code /api/healthcheck}, exits with N on {@code POST /exit/N}, and ignores
 * SIGTERM after {@code POST /ignore-term} (so only SIGKILL stops it). Started with {@code
 * --standby}, it reads its options from standard input as the runner does. Only JDK classes.
 */
public final class FakeRunner {
  private FakeRunner() {}

  public static void main(String[] args) throws IOException {
    List<String> options = List.of(args);
    if (options.contains("--standby")) {
      // as the runner: the rest of its options come on standard input, one a line up to an empty
      // line; the end of the input (its shim is gone) ends it
      options = new ArrayList<>();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); ; line = in.readLine()) {
        if (line == null) {
          return;
        }
        if (line.isEmpty()) {
          break;
        }
        options.add(line);
      }
    }
    int port = 10999;
    for (int i = 0; i + 1 < options.size(); i++) {
      if (options.get(i).equals("--port")) {
        port = Integer.parseInt(options.get(i + 1));
      }
    }
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext(
        "/api/healthcheck",
        exchange -> respond(exchange, "{\"service\":\"fake-runner\",\"version\":\"0\"}"));
    server.createContext(
        "/exit/",
        exchange -> {
          int code = Integer.parseInt(exchange.getRequestURI().getPath().substring(6));
          respond(exchange, "{}");
          System.out.println("fake runner exits with " + code);
          System.out.flush();
          new Thread(
                  () -> {
                    sleep(100);
                    Runtime.getRuntime().halt(code);
                  })
              .start();
        });
    server.createContext(
        "/ignore-term",
        exchange -> {
          // a shutdown hook that never ends keeps the JVM alive after SIGTERM
          Runtime.getRuntime().addShutdownHook(new Thread(() -> sleep(Long.MAX_VALUE)));
          respond(exchange, "{}");
        });
    server.start();
    System.out.println("fake runner listening on 127.0.0.1:" + port);
    System.out.flush();
  }

  private static void respond(HttpExchange exchange, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
