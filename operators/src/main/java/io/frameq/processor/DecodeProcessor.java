package io.frameq.processor;

import java.util.List;

import io.frameq.deadline.Deadline;
import io.frameq.deadline.Watchdog;
import io.frameq.frame.DecodedFrame;
import io.frameq.frame.Frame;
import io.frameq.frame.FrameDecodeException;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameMetadata;
import io.frameq.frame.Reduction;
import io.frameq.frame.FrameSource;
import io.frameq.frame.FrameTimeline;
import io.frameq.metrics.FrameqMetrics;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Turns one input record into frames (one for an image, many for a video segment). Anything that
 * cannot be decoded, or breaks the configured limits, goes to the DLQ with its reason; the stream
 * goes on. With a decode deadline, the {@link Watchdog} interrupts a segment that runs past it, and
 * the record goes to the DLQ with reason {@code timeout}.
 */
public final class DecodeProcessor implements Processor<String, byte[], String, Object> {

    public static final String STAGE = "decode";

    private final FrameDecoders decoders;
    private final FrameqMetrics metrics;
    private final Outlet<DecodedInput> frames;
    private final DeadLetters deadLetters;
    private final int reducedMinWidth;
    private final long deadlineMs;
    private ProcessorContext<String, Object> context;

    /** Processor API form: decoded frames to {@code nextChild}, failures as payload bytes to the DLQ sink {@code dlqChild}. */
    public DecodeProcessor(FrameDecoders decoders, FrameqMetrics metrics, String nextChild, String dlqChild) {
        this(decoders, metrics, Outlet.toChild(nextChild, d -> d), DeadLetters.toSink(dlqChild));
    }

    public DecodeProcessor(FrameDecoders decoders, FrameqMetrics metrics, Outlet<DecodedInput> decoded,
                           Outlet<DeadLettered> deadLetters) {
        this(decoders, metrics, decoded, deadLetters, 0);
    }

    /** @param deadlineMs how long decoding one record may take; 0 = no deadline */
    public DecodeProcessor(FrameDecoders decoders, FrameqMetrics metrics, Outlet<DecodedInput> decoded,
                           Outlet<DeadLettered> deadLetters, long deadlineMs) {
        this(decoders, metrics, decoded, deadLetters, deadlineMs, 0);
    }

    /**
     * @param deadlineMs how long decoding one record may take; 0 = no deadline
     * @param reducedMinWidth above 0: JPEGs are decoded shrunk (in the DCT domain) to no less than this width for the
     *     detectors, and the score stage decodes again at full size the frames the model takes; 0 = full size always
     */
    public DecodeProcessor(FrameDecoders decoders, FrameqMetrics metrics, Outlet<DecodedInput> decoded,
                           Outlet<DeadLettered> deadLetters, long deadlineMs, int reducedMinWidth) {
        if (deadlineMs < 0) {
            throw new IllegalArgumentException("deadlineMs: expected >= 0 (0 = none), actual " + deadlineMs);
        }
        this.deadlineMs = deadlineMs;
        this.reducedMinWidth = reducedMinWidth;
        this.decoders = decoders;
        this.metrics = metrics;
        this.frames = decoded;
        this.deadLetters = new DeadLetters(deadLetters, metrics);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        long received = System.nanoTime();
        FrameSource source = source();
        byte[] payload = record.value();
        if (record.key() == null) {
            deadLetters.send(context, record, payload, source, STAGE, "missing_key",
                    new IllegalArgumentException("record key: expected the stream id (UTF-8), actual null"));
            return;
        }
        if (payload == null || payload.length == 0) {
            deadLetters.send(context, record, payload, source, STAGE, "empty",
                    new IllegalArgumentException("record value: expected an encoded image, raw frame or video segment, actual "
                            + (payload == null ? "null" : "0 bytes")));
            return;
        }
        List<DecodedFrame> decoded;
        FrameMetadata meta;
        Reduction reduction = null;
        try (Deadline deadline = Watchdog.shared().open(STAGE, deadlineMs)) {
            meta = FrameDecoders.metadataFromStrict(record.headers());
            if (reducedMinWidth > 0) {
                var r = decoders.decodeReduced(payload, meta, reducedMinWidth);
                decoded = r.frames();
                reduction = r.reduction();
            } else {
                decoded = decoders.decode(payload, meta);
            }
        } catch (FrameDecodeException e) {
            deadLetters.send(context, record, payload, source, STAGE, e.reasonCode(), e);
            return;
        } catch (RuntimeException e) {
            deadLetters.send(context, record, payload, source, STAGE, "decoder_error", e);
            return;
        }
        long decodeNanos = System.nanoTime() - received;
        metrics.stage(STAGE, "-", decodeNanos);
        for (Frame frame : FrameTimeline.place(record.key(), meta, decoded, source, record.timestamp(), received, payload)) {
            frames.send(context, new Record<>(record.key(), new DecodedInput(frame, decodeNanos,
                    reduction != null ? reduction : Reduction.none(frame.width(), frame.height())), record.timestamp(),
                    record.headers()));
        }
    }

    private FrameSource source() {
        return context.recordMetadata()
                .map((RecordMetadata m) -> new FrameSource(m.topic(), m.partition(), m.offset(), 0))
                .orElse(FrameSource.UNKNOWN);
    }

    /**
     * A decoded frame and what decoding its payload cost.
     *
     * @param reduction the picture's full size and how much the decoder shrank the frame's image for the detectors
     */
    public record DecodedInput(Frame frame, long decodeNanos, Reduction reduction) implements FrameOutcome {
        /** A frame decoded at full size. */
        public DecodedInput(Frame frame, long decodeNanos) {
            this(frame, decodeNanos, Reduction.none(frame.width(), frame.height()));
        }
    }
}
