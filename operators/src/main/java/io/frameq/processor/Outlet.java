package io.frameq.processor;

import java.util.Objects;
import java.util.function.Function;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Where a processor hands one kind of typed result. The processors decide <em>what</em> a record
 * becomes; the outlet decides <em>where</em> it goes and in which form, so the same processor serves
 * the Processor API (a named sink that wants JSON or payload bytes) and the DSL (the typed value to
 * whatever the user chained after it).
 *
 * @param <T> the typed result, e.g. {@link ScoredFrame} or {@link DeadLettered}
 */
@FunctionalInterface
public interface Outlet<T> {

    void send(ProcessorContext<String, Object> context, Record<String, T> record);

    /** The typed value, unchanged, to every child: what a DSL {@code KStream#process} stream carries. */
    static <T> Outlet<T> downstream() {
        return (context, record) -> context.forward(record);
    }

    /**
     * To one named child, converted to the form that child takes (a sink: the bytes of the topic's
     * format), with the record's headers.
     */
    static <T> Outlet<T> toChild(String child, Function<? super T, ?> form) {
        Objects.requireNonNull(child, "child");
        Objects.requireNonNull(form, "form");
        return (context, record) -> context.forward(record.withValue(form.apply(record.value())), child);
    }

    /** Drops the result: a branch the caller left out. */
    static <T> Outlet<T> nowhere() {
        return (context, record) -> { };
    }

    /** This outlet, then {@code next} with the same record. */
    default Outlet<T> and(Outlet<T> next) {
        Objects.requireNonNull(next, "next");
        return (context, record) -> {
            send(context, record);
            next.send(context, record);
        };
    }

    /** This outlet with the record's headers left behind (for children that build their own). */
    default Outlet<T> withoutHeaders() {
        return (context, record) -> send(context, record.withHeaders(new RecordHeaders()));
    }
}
