package io.frameq.processor;

import java.nio.charset.StandardCharsets;

import io.frameq.frame.FrameSource;
import io.frameq.join.OriginResolver;
import io.frameq.metrics.FrameqMetrics;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Re-keys rendition records by their origin stream id (see {@link OriginResolver}) so that, through
 * the rendition repartition topic, every rendition frame lands in the same task as its origin
 * frames; the rendition id travels in the {@value OriginResolver#RENDITION_HEADER} header. The
 * encoded bytes pass through untouched (decoding happens after the hop). A rendition that names no
 * origin goes to the DLQ ({@code no_origin}).
 */
public final class RenditionRouter implements Processor<String, byte[], String, Object> {

    public static final String STAGE = "fr-route";

    private final OriginResolver resolver;
    private final Outlet<byte[]> routed;
    private final DeadLetters deadLetters;
    private ProcessorContext<String, Object> context;

    /** Processor API form: re-keyed renditions to the sink {@code repartitionChild}, failures to the DLQ sink {@code dlqChild}. */
    public RenditionRouter(OriginResolver resolver, FrameqMetrics metrics, String repartitionChild, String dlqChild) {
        this(resolver, metrics, Outlet.toChild(repartitionChild, v -> v), DeadLetters.toSink(dlqChild));
    }

    /** @param routed receives each rendition's payload keyed by its origin id, the rendition id in a header */
    public RenditionRouter(OriginResolver resolver, FrameqMetrics metrics, Outlet<byte[]> routed, Outlet<DeadLettered> deadLetters) {
        this.resolver = resolver;
        this.routed = routed;
        this.deadLetters = new DeadLetters(deadLetters, metrics);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        FrameSource source = context.recordMetadata()
                .map(m -> new FrameSource(m.topic(), m.partition(), m.offset(), 0)).orElse(FrameSource.UNKNOWN);
        if (record.key() == null) {
            deadLetters.send(context, record, record.value(), source, STAGE, "missing_key",
                    new IllegalArgumentException("record key: expected the rendition id (UTF-8), actual null"));
            return;
        }
        String origin = resolver.origin(record.key(), record.headers());
        if (origin == null) {
            deadLetters.send(context, record, record.value(), source, STAGE, "no_origin",
                    new IllegalArgumentException("rendition '" + record.key() + "': expected header " + OriginResolver.ORIGIN_HEADER
                            + " or a key '<origin>" + resolver.separator() + "<label>', actual neither"));
            return;
        }
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.remove(OriginResolver.RENDITION_HEADER);
        headers.add(OriginResolver.RENDITION_HEADER, record.key().getBytes(StandardCharsets.UTF_8));
        routed.send(context, new Record<>(origin, record.value(), record.timestamp(), headers));
    }
}
