package io.frameq.processor;


import io.frameq.deadline.Deadline;
import io.frameq.deadline.DeadlineExceededException;
import io.frameq.deadline.Watchdog;
import io.frameq.errors.DeadLetter;
import io.frameq.event.ScoreEvent;
import io.frameq.frame.Frame;
import io.frameq.frame.FrameHeaders;
import io.frameq.frame.ImageEncoder;
import io.frameq.metrics.FrameqMetrics;
import io.frameq.metrics.RestoreMetrics;
import io.frameq.quality.FrameScorer;
import io.frameq.quality.NrScore;
import io.frameq.restore.TiledRestorer;
import io.frameq.route.RestoreBudget;
import io.frameq.route.Route;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores the frames the routing policy sends to a restorer, within the stream's budget, and
 * publishes them JPEG-encoded with headers naming the restorer and the scores before and after.
 *
 * <p>Every scored frame passes through here (the budget's frame share counts all frames). A frame
 * over budget is counted ({@code frameq_restorations_total{result="over_budget"}}) and not
 * restored. The restored pixels are re-scored with the NR scorer before JPEG encoding (the
 * encoder's loss at the configured quality is not the restorer's doing), and the gain
 * {@code quality_after - quality_before} goes to {@code frameq_restoration_gain} and the headers.
 * A failing restoration sends the original payload to the DLQ (reason {@code restore_error}); the
 * stream goes on. With a restore deadline, the {@link Watchdog}
 * stops the tile runs once it passes and the frame goes to the DLQ with reason {@code timeout}.
 */
public final class RestoreProcessor implements Processor<String, ScoredFrame, String, Object> {

    public static final String STAGE = "restore";
    public static final String REASON = "restore_error";

    public static final String H_RESTORER = FrameHeaders.RESTORER;
    public static final String H_RESTORER_VERSION = FrameHeaders.RESTORER_VERSION;
    public static final String H_ROUTE = FrameHeaders.ROUTE;
    public static final String H_DEGRADATION = FrameHeaders.DEGRADATION;
    public static final String H_SCORE_BEFORE = FrameHeaders.SCORE_BEFORE;
    public static final String H_SCORE_AFTER = FrameHeaders.SCORE_AFTER;
    public static final String H_QUALITY_BEFORE = FrameHeaders.QUALITY_BEFORE;
    public static final String H_QUALITY_AFTER = FrameHeaders.QUALITY_AFTER;
    public static final String H_QUALITY_GAIN = FrameHeaders.QUALITY_GAIN;
    public static final String H_RESTORE_MS = FrameHeaders.RESTORE_MS;
    public static final String H_TILES = FrameHeaders.TILES;

    private static final Logger LOG = LoggerFactory.getLogger(RestoreProcessor.class);

    private final RestoreSettings settings;
    private final RestoreBudget budget;
    private final FrameScorer scorer;
    private final FrameqMetrics metrics;
    private final RestoreMetrics restoreMetrics;
    private final Outlet<RestoredFrame> restoredOutlet;
    private final Outlet<DeadLettered> deadLetterOutlet;
    private final long deadlineMs;
    private ProcessorContext<String, Object> context;

    /** @param budget shared by the tasks of all stream threads (one stream lives in one task at a time) */
    public RestoreProcessor(RestoreSettings settings, RestoreBudget budget, FrameScorer scorer, FrameqMetrics metrics,
                            RestoreMetrics restoreMetrics, Outlet<RestoredFrame> restored, Outlet<DeadLettered> deadLetters) {
        this(settings, budget, scorer, metrics, restoreMetrics, restored, deadLetters, 0);
    }

    /** @param deadlineMs how long restoring one frame (its tiles and the re-score) may take; 0 = no deadline */
    public RestoreProcessor(RestoreSettings settings, RestoreBudget budget, FrameScorer scorer, FrameqMetrics metrics,
                            RestoreMetrics restoreMetrics, Outlet<RestoredFrame> restored, Outlet<DeadLettered> deadLetters,
                            long deadlineMs) {
        if (deadlineMs < 0) {
            throw new IllegalArgumentException("deadlineMs: expected >= 0 (0 = none), actual " + deadlineMs);
        }
        this.deadlineMs = deadlineMs;
        this.settings = settings;
        this.budget = budget;
        this.scorer = scorer;
        this.metrics = metrics;
        this.restoreMetrics = restoreMetrics;
        this.restoredOutlet = restored;
        this.deadLetterOutlet = deadLetters;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, ScoredFrame> record) {
        ScoreEvent event = record.value().event();
        Frame frame = record.value().frame();
        Route route = Route.ofWire(event.route());
        RestoreBudget.Decision decision = budget.admit(frame.streamId(), frame.captureTimeMs(), route.restores());
        if (!route.restores()) {
            return;
        }
        TiledRestorer restorer = settings.restorer(route);
        String model = restorer.descriptor().name();
        if (decision.overBudget()) {
            restoreMetrics.overBudget(frame.streamId(), model,
                    decision == RestoreBudget.Decision.OVER_FRAME_BUDGET ? "frames" : "compute");
            return;
        }
        long t0 = System.nanoTime();
        TiledRestorer.Result restored;
        NrScore after;
        byte[] jpeg;
        try (Deadline deadline = Watchdog.shared().open(STAGE, deadlineMs)) {
            restored = restorer.restore(frame.image());
            after = scorer.score(restored.image());
            jpeg = ImageEncoder.jpeg(restored.image(), settings.jpegQuality());
            if (deadline != null) {
                deadline.check();
            }
        } catch (RuntimeException e) {
            budget.spent(frame.streamId(), frame.captureTimeMs(), System.nanoTime() - t0);
            restoreMetrics.failed(model);
            String reason = e instanceof DeadlineExceededException ? DeadlineExceededException.REASON : REASON;
            DeadLetter letter = DeadLetter.of(STAGE, reason, e, frame.source().topic(), frame.source().partition(),
                    frame.source().offset());
            LOG.warn("DLQ stage={} reason={} stream={} source={}: {}", STAGE, reason, frame.streamId(),
                    frame.source().eventId(), letter.message());
            deadLetterOutlet.send(context, new Record<>(record.key(), new DeadLettered(letter, frame.payload()), record.timestamp(),
                    letter.headers(new RecordHeaders())));
            metrics.deadLetterAfterScoring(reason, STAGE);
            return;
        }
        long nanos = System.nanoTime() - t0;
        budget.spent(frame.streamId(), frame.captureTimeMs(), nanos);
        RestoredFrame result = new RestoredFrame(event, model, restorer.descriptor().version(), after.score(), after.quality(),
                nanos, restored.stats().tiles(), jpeg);
        restoreMetrics.restored(model, nanos, result.qualityGain());
        metrics.stage(STAGE, model, nanos);
        restoredOutlet.send(context, new Record<>(record.key(), result, record.timestamp(), result.headers()));
    }
}
