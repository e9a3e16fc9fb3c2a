package io.frameq.jmh;

import io.frameq.frame.ContentType;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecodeException;
import io.frameq.frame.FrameMetadata;
import io.frameq.frame.ImageIoDecoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JDK baseline for {@link DecodeJmh} on the same 1080p JPEG: bare {@code ImageIO.read} (to a
 * {@code BufferedImage} only) and FrameQ's ImageIO fallback decoder (on to packed RGB). Single thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ImageIoDecodeJmh {

    private byte[] jpeg;
    private FrameMetadata meta;
    private ImageIoDecoder imageIo;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        jpeg = DecodeJmh.jpeg1080();
        meta = FrameMetadata.of(ContentType.JPEG);
        imageIo = new ImageIoDecoder();
    }

    @Benchmark
    public BufferedImage imageIoRead() throws IOException {
        return ImageIO.read(new ByteArrayInputStream(jpeg));
    }

    @Benchmark
    public Object imageIoToRgb() throws FrameDecodeException {
        return imageIo.decode(jpeg, meta, DecodeLimits.DEFAULT);
    }
}
