package io.frameq.jmh;

import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelRepository;
import io.frameq.testing.Images;
import io.frameq.translate.FrTranslator;
import io.frameq.translate.NrTranslator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Model pre-processing on a decoded frame, single thread, with the bundled models' descriptors:
 * the NR five-point crop and normalisation of maniqa-lite (into a reused float buffer, as
 * {@code NrScorer} does) and the FR patch extraction of vtamiq-lite for a reference/rendition pair
 * (both patch sets, reused buffers). Frame sizes as parameters; the frame is the bundled 320x240
 * photo fixture upscaled.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PreprocessJmh {

    @Param({"1920x1080", "640x360"})
    public String frame;

    private RgbImage image;
    private RgbImage rendition;
    private NrTranslator nr;
    private FrTranslator fr;
    private float[] nrBuffer;
    private float[] refBuffer;
    private float[] distBuffer;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        String[] wh = frame.split("x");
        int w = Integer.parseInt(wh[0]);
        int h = Integer.parseInt(wh[1]);
        RgbImage photo = Images.read(Path.of("src/test/resources/frames/chelsea_320x240.png"));
        image = ImageEncoder.resize(photo, w, h);
        rendition = ImageEncoder.resize(photo, w / 2, h / 2); // a lower-resolution rendition: FR rescales it first
        ModelRepository repo = ModelRepository.of(List.of(), true);
        ModelDescriptor nrModel = repo.resolve("maniqa-lite");
        ModelDescriptor frModel = repo.resolve("vtamiq-lite");
        nr = new NrTranslator(nrModel);
        fr = new FrTranslator(frModel);
        nrBuffer = new float[NrTranslator.batchLength(nr.plan(image))];
        int patchLength = fr.sampler().plan(w, h).patchLength();
        refBuffer = new float[patchLength];
        distBuffer = new float[patchLength];
    }

    @Benchmark
    public NrTranslator.Batch nrCropNormalize() {
        return nr.preprocess(image, nrBuffer);
    }

    @Benchmark
    public FrTranslator.Batch frPatchesSameSize() {
        return fr.preprocess(image, image, refBuffer, distBuffer);
    }

    @Benchmark
    public FrTranslator.Batch frPatchesRescaledRendition() {
        return fr.preprocess(image, rendition, refBuffer, distBuffer);
    }
}
