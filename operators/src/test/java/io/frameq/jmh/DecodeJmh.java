package io.frameq.jmh;

import io.frameq.frame.ContentType;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecodeException;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameMetadata;
import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbConversion;
import io.frameq.frame.RgbImage;
import io.frameq.testing.Images;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * 1920x1080 JPEG (quality 90, made from the bundled 320x240 photo fixture upscaled) decoded to
 * packed RGB by FrameQ's FFmpeg decoder with each {@link RgbConversion}, single thread. The JDK
 * baseline on the same bytes is {@link ImageIoDecodeJmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecodeJmh {

    @Param({"FAST", "ACCURATE"})
    public String conversion;

    private byte[] jpeg;
    private FrameMetadata meta;
    private FrameDecoders decoders;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        jpeg = jpeg1080();
        meta = FrameMetadata.of(ContentType.JPEG);
        decoders = new FrameDecoders(DecodeLimits.DEFAULT, RgbConversion.valueOf(conversion));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        decoders.close();
    }

    @Benchmark
    public Object ffmpeg() throws FrameDecodeException {
        return decoders.decode(jpeg, meta);
    }

    /** The benchmarks' 1080p JPEG: the photo fixture upscaled, quality 90 (same bytes for every decoder). */
    static byte[] jpeg1080() throws IOException {
        RgbImage photo = Images.read(Path.of("src/test/resources/frames/chelsea_320x240.png"));
        return ImageEncoder.jpeg(ImageEncoder.resize(photo, 1920, 1080), 90);
    }
}
