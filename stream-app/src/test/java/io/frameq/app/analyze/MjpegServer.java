package io.frameq.app.analyze;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A camera's HTTP MJPEG stream on 127.0.0.1 ({@code multipart/x-mixed-replace}): each connection
 * gets the next {@code perConnection} JPEGs, then the server hangs up, as a flaky camera does, so
 * a client only sees more frames by reconnecting.
 */
final class MjpegServer implements AutoCloseable {

    private static final String BOUNDARY = "frameqboundary";

    private final HttpServer server;
    private final List<byte[]> jpegs;
    private final int perConnection;
    private final int stallAfter;
    private final long stallMillis;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();

    MjpegServer(List<byte[]> jpegs, int perConnection) throws IOException {
        this(jpegs, perConnection, -1, 0);
    }

    /** A camera that stops sending for {@code stallMillis} after its {@code stallAfter}-th frame, then goes on. */
    MjpegServer(List<byte[]> jpegs, int perConnection, int stallAfter, long stallMillis) throws IOException {
        this.jpegs = List.copyOf(jpegs);
        this.perConnection = perConnection;
        this.stallAfter = stallAfter;
        this.stallMillis = stallMillis;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/cam", this::serve);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/cam";
    }

    int connections() {
        return connections.get();
    }

    private void serve(HttpExchange ex) throws IOException {
        connections.incrementAndGet();
        ex.getResponseHeaders().add("Content-Type", "multipart/x-mixed-replace;boundary=" + BOUNDARY);
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < perConnection; i++) {
                int n = served.getAndIncrement();
                if (n == stallAfter) {
                    Thread.sleep(stallMillis); // the stall is the stimulus: the camera sends nothing for this long
                }
                byte[] jpeg = jpegs.get(n % jpegs.size());
                out.write(("--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(jpeg);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException e) {
            // the client went away first: fine for a camera
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
