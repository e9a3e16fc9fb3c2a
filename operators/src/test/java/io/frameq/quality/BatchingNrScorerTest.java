package io.frameq.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.frameq.frame.RgbImage;
import io.frameq.metrics.FrameqMetrics;
import io.frameq.metrics.PrometheusMetrics;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.testing.Await;
import io.frameq.testing.Images;
import io.frameq.testing.TestModels;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BatchingNrScorerTest {

    private static OrtRuntime runtime;
    private static ModelRepository repo;
    private static List<RgbImage> photos;

    @BeforeAll
    static void open() {
        runtime = OrtRuntime.create(ExecutionConfig.cpu().withThreads(1, 1));
        repo = ModelRepository.of(List.of(TestModels.REPO), false);
        photos = List.of(Images.resource("/detect/coffee.png"), Images.resource("/detect/chelsea.png"),
                Images.resource("/topology/chelsea.jpg"), Images.resource("/topology/coffee.png"),
                Images.synthetic(640, 360, 3), Images.synthetic(64, 48, 4));
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    private static HistogramSnapshot.HistogramDataPointSnapshot batchSizes(PrometheusRegistry registry) {
        return registry.scrape().stream().filter(m -> m.getMetadata().getName().equals("frameq_batch_size"))
                .map(m -> (HistogramSnapshot) m).findFirst().orElseThrow().getDataPoints().get(0);
    }

    @Test
    void concurrentCallersGetTheirOwnUnbatchedScoresAndShareRuns() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        FrameqMetrics metrics = new PrometheusMetrics(registry, 10);
        try (NrScorer scorer = NrScorer.open(repo, "tiny-nr", runtime);
             BatchingNrScorer batcher = new BatchingNrScorer(scorer, metrics, 40, 20, 4)) {
            List<NrScore> expected = photos.stream().map(scorer::score).toList();
            int threads = 8;
            int perThread = 24;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<?>> jobs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int offset = t;
                    jobs.add(pool.submit(() -> {
                        start.await();
                        for (int k = 0; k < perThread; k++) {
                            int i = (k + offset) % photos.size();
                            NrScore got = batcher.score(photos.get(i));
                            NrScore want = expected.get(i);
                            assertThat(got.score()).isCloseTo(want.score(), within(1e-5));
                            assertThat(got.quality()).isCloseTo(want.quality(), within(1e-5));
                            double[] gc = got.cropScores();
                            double[] wc = want.cropScores();
                            assertThat(gc).hasSameSizeAs(wc);
                            for (int c = 0; c < gc.length; c++) {
                                assertThat(gc[c]).isCloseTo(wc[c], within(1e-5));
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : jobs) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            var sizes = batchSizes(registry);
            long runs = sizes.getCount();
            double units = sizes.getSum();
            assertThat(units).isEqualTo(threads * perThread * 5.0);
            assertThat(runs).as("model runs for %d frames", threads * perThread).isLessThan(threads * perThread);
            assertThat(units / runs).as("mean units per run").isGreaterThan(5.0);
        }
    }

    @Test
    void singleCallerWaitsAtMostMaxDelay() {
        PrometheusRegistry registry = new PrometheusRegistry();
        try (NrScorer scorer = NrScorer.open(repo, "tiny-nr", runtime);
             BatchingNrScorer batcher = new BatchingNrScorer(scorer, new PrometheusMetrics(registry, 10), 20, 50, 64)) {
            RgbImage img = photos.get(0);
            NrScore want = scorer.score(img);
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                NrScore got = batcher.score(img);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(got.score()).isCloseTo(want.score(), within(1e-5));
                assertThat(ms).as("a lone frame waits for maxDelay (50 ms), then runs").isBetween(45L, 1000L);
            }
            assertThat(batchSizes(registry).getCount()).isEqualTo(5);
            assertThat(batchSizes(registry).getSum()).isEqualTo(25.0);
        }
    }

    @Test
    void fullBatchRunsWithoutWaitingForTheDelay() {
        try (NrScorer scorer = NrScorer.open(repo, "tiny-nr", runtime);
             BatchingNrScorer batcher = new BatchingNrScorer(scorer, null, 5, 10_000, 64)) {
            long t0 = System.nanoTime();
            batcher.score(photos.get(1));
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000L);
        }
    }

    @Test
    void closeFailsPendingAndLaterCallers() throws Exception {
        NrScorer scorer = NrScorer.open(repo, "tiny-nr", runtime);
        BatchingNrScorer batcher = new BatchingNrScorer(scorer, null, 1000, 60_000, 64);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<NrScore> pending = pool.submit(() -> batcher.score(photos.get(0)));
            Await.until("the caller's request queued (the batch waits 60 s for more)", Duration.ofSeconds(30),
                    () -> batcher.pendingRequests() == 1);
            batcher.close();
            assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> batcher.score(photos.get(0))).isInstanceOf(IllegalStateException.class);
        } finally {
            pool.shutdownNow();
            scorer.close();
        }
    }

    @Test
    void modelFailureReachesEveryCallerOfTheBatch() throws Exception {
        NrScorer scorer = NrScorer.open(repo, "tiny-nr", runtime);
        try (BatchingNrScorer batcher = new BatchingNrScorer(scorer, null, 10, 500, 64)) {
            scorer.close(); // every run now fails
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<NrScore> a = pool.submit(() -> batcher.score(photos.get(0)));
                Future<NrScore> b = pool.submit(() -> batcher.score(photos.get(1)));
                assertThatThrownBy(() -> a.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
                assertThatThrownBy(() -> b.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aFullQueueBlocksFurtherCallersInsteadOfDroppingThem() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        try (NrScorer scorer = NrScorer.open(repo, "tiny-nr", runtime);
             BatchingNrScorer batcher = new BatchingNrScorer(scorer, new PrometheusMetrics(registry, 10), 100, 300, 1)) {
            double want = scorer.score(photos.get(2)).score();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<NrScore>> got = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    got.add(pool.submit(() -> batcher.score(photos.get(2))));
                }
                for (Future<NrScore> f : got) {
                    assertThat(f.get(30, TimeUnit.SECONDS).score()).isCloseTo(want, within(1e-5));
                }
            } finally {
                pool.shutdownNow();
            }
            // one request fits the queue: the others waited outside it, so every run took one frame
            assertThat(batchSizes(registry).getCount()).isEqualTo(3);
            assertThat(batchSizes(registry).getSum()).isEqualTo(15.0);
        }
    }
}
