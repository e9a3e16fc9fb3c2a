package io.frameq.app.analyze;

import java.net.DatagramSocket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.frameq.frame.RgbImage;

/**
 * A camera sending MPEG-TS over UDP to 127.0.0.1: it encodes its frames in a loop at its frame rate
 * (H.264, a keyframe a second; the muxer repeats PAT/PMT, so a receiver can join at any time) until
 * closed. Datagrams sent before the receiver binds the port are lost, as with a real camera.
 */
final class UdpCamera implements AutoCloseable {

    private final int port;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    UdpCamera(List<RgbImage> frames, int fps) throws SocketException {
        try (DatagramSocket probe = new DatagramSocket(0)) {
            port = probe.getLocalPort(); // free now; the receiver binds it
        }
        thread = new Thread(() -> {
            try (ClipWriter out = new ClipWriter("udp://127.0.0.1:" + port + "?pkt_size=1316", "mpegts", "libopenh264", fps,
                    frames.get(0).width(), frames.get(0).height())) {
                long period = 1_000_000_000L / fps;
                long next = System.nanoTime();
                for (int i = 0; running; i++) {
                    out.write(frames.get(i % frames.size()));
                    next += period;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pacing at the frame rate is the point
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "udp-camera");
        thread.setDaemon(true);
        thread.start();
    }

    String url() {
        return "udp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
        if (failure.get() != null) {
            throw new IllegalStateException("UDP camera failed: " + failure.get(), failure.get());
        }
    }
}
