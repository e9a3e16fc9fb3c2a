package io.frameq.processor;

import io.frameq.detect.DetectorReport;
import io.frameq.detect.DetectorSuite;
import io.frameq.frame.Frame;
import io.frameq.metrics.FrameqMetrics;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Runs the cheap detectors on every frame. The previous frame's thumbnail of each stream lives in
 * a changelogged state store, so freeze detection survives restarts and rebalances.
 */
public final class DetectProcessor implements Processor<String, DecodeProcessor.DecodedInput, String, Object> {

    public static final String STAGE = "detect";

    private final DetectorSuite detectors;
    private final FrameqMetrics metrics;
    private final String storeName;
    private final String scoreChild;
    private final DeadLetters deadLetters;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> thumbnails;

    public DetectProcessor(DetectorSuite detectors, FrameqMetrics metrics, String storeName, String scoreChild, String dlqChild) {
        this.detectors = detectors;
        this.metrics = metrics;
        this.storeName = storeName;
        this.scoreChild = scoreChild;
        this.deadLetters = new DeadLetters(dlqChild, metrics);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.thumbnails = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, DecodeProcessor.DecodedInput> record) {
        Frame frame = record.value().frame();
        long t0 = System.nanoTime();
        DetectorReport report;
        try {
            report = detectors.analyze(frame.image(), thumbnails.get(frame.streamId()));
        } catch (RuntimeException e) {
            deadLetters.send(context, record, frame.payload(), frame.source(), STAGE, "detector_error", e);
            return;
        }
        thumbnails.put(frame.streamId(), report.thumbnail());
        long detectNanos = System.nanoTime() - t0;
        metrics.stage(STAGE, "-", detectNanos);
        metrics.detectorReadings(frame.streamId(), report.readings().asMap());
        context.forward(new Record<String, Object>(record.key(),
                new AnalyzedFrame(frame, report, record.value().decodeNanos(), detectNanos), record.timestamp(), record.headers()),
                scoreChild);
    }
}
