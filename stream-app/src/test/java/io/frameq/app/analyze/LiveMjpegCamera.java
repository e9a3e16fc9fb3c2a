package io.frameq.app.analyze;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;

/**
 * A live HTTP MJPEG camera on 127.0.0.1 ({@code multipart/x-mixed-replace}, {@code /cam/<name>}) that never ends:
 * it loops over the committed test photo panning sideways, at {@code fps}, and stamps every frame with its
 * camera frame number (a 16-bit barcode of black and white blocks along the top edge, which survives JPEG
 * re-encoding), so a test can tell from a published frame exactly which camera frame it was.
 *
 * <p>Like a real camera, its frame number follows the wall clock: a client that connects gets the frame of
 * that moment and then every following frame in order (a slow reader is sent all of them, late); frames
 * produced while nobody was connected are never sent to anybody.
 */
final class LiveMjpegCamera implements AutoCloseable {

    private static final String BOUNDARY = "frameqcam";
    static final int BITS = 16;
    static final int BLOCK = 20;

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final double fps;
    private final long startNanos = System.nanoTime();
    private final RgbImage photo = TestScenes.photo();
    private final AtomicInteger connections = new AtomicInteger();

    LiveMjpegCamera(double fps) throws IOException {
        this.fps = fps;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/cam", this::serve);
        server.setExecutor(pool);
        server.start();
    }

    String url(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/cam/" + name;
    }

    int connections() {
        return connections.get();
    }

    private long frameNow() {
        return (long) ((System.nanoTime() - startNanos) / 1e9 * fps);
    }

    private void serve(HttpExchange ex) throws IOException {
        connections.incrementAndGet();
        ex.getResponseHeaders().add("Content-Type", "multipart/x-mixed-replace;boundary=" + BOUNDARY);
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            for (long n = frameNow(); ; n++) {
                long due = startNanos + (long) (n / fps * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // the camera's frame rate is the stimulus
                }
                byte[] jpeg = ImageEncoder.jpeg(stamped(n), 90);
                out.write(("--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(jpeg);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException e) {
            // the client went away (or was killed): a camera just stops sending to it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The photo panned by the frame number, with the frame number's low 16 bits as blocks on the top edge. */
    private RgbImage stamped(long n) {
        RgbImage panned = TestScenes.panned(photo, (int) (n % photo.width()));
        byte[] px = panned.pixels().clone();
        for (int bit = 0; bit < BITS; bit++) {
            byte v = (byte) (((n >> bit) & 1) == 1 ? 255 : 0);
            for (int y = 0; y < BLOCK; y++) {
                for (int x = bit * BLOCK; x < (bit + 1) * BLOCK; x++) {
                    int i = (y * panned.width() + x) * 3;
                    px[i] = v;
                    px[i + 1] = v;
                    px[i + 2] = v;
                }
            }
        }
        return new RgbImage(panned.width(), panned.height(), px);
    }

    /** The camera frame number stamped on a (decoded) frame: the mean of each block's centre. */
    static long frameNumber(RgbImage img) {
        long n = 0;
        for (int bit = 0; bit < BITS; bit++) {
            int sum = 0;
            int count = 0;
            for (int y = BLOCK / 2 - 4; y < BLOCK / 2 + 4; y++) {
                for (int x = bit * BLOCK + BLOCK / 2 - 4; x < bit * BLOCK + BLOCK / 2 + 4; x++) {
                    int i = (y * img.width() + x) * 3;
                    sum += (img.pixels()[i] & 0xFF) + (img.pixels()[i + 1] & 0xFF) + (img.pixels()[i + 2] & 0xFF);
                    count += 3;
                }
            }
            if (sum / count > 128) {
                n |= 1L << bit;
            }
        }
        return n;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
