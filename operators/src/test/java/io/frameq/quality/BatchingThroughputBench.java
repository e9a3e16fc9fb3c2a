package io.frameq.quality;

import io.frameq.frame.RgbImage;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.testing.Images;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Frames per second of N threads scoring maniqa-lite directly vs through the batcher. Not a test:
 * {@code mvn -o -B -q -pl operators test -Dtest=BatchingThroughputBench -Dframeq.bench=true}.
 */
@EnabledIfSystemProperty(named = "frameq.bench", matches = "true")
class BatchingThroughputBench {

    @Test
    void compare() throws Exception {
        int threads = Integer.getInteger("frameq.bench.threads", 4);
        int frames = Integer.getInteger("frameq.bench.frames", 48);
        int units = Integer.getInteger("frameq.bench.units", 20);
        RgbImage img = Images.resource("/topology/chelsea.jpg");
        try (OrtRuntime rt = OrtRuntime.create(ExecutionConfig.cpu().withThreads(0, 1));
             NrScorer scorer = NrScorer.open(ModelRepository.bundled(), "maniqa-lite", rt);
             BatchingNrScorer batcher = new BatchingNrScorer(scorer, null, units, 2, 64)) {
            for (int round = 0; round < 2; round++) {
                double direct = fps(scorer, img, threads, frames);
                double batched = fps(batcher, img, threads, frames);
                System.out.printf("BENCH round %d threads=%d frames=%d maxUnits=%d: direct %.2f fps, batched %.2f fps%n",
                        round, threads, frames, units, direct, batched);
            }
        }
    }

    private static double fps(FrameScorer s, RgbImage img, int threads, int frames) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long t0 = System.nanoTime();
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < frames / threads; i++) {
                        s.score(img);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            return (frames / threads * threads) / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }
}
