package io.frameq.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameq.alert.AlertEvent;
import io.frameq.event.EventJson;
import io.frameq.event.ScoreEvent;
import io.frameq.frame.ContentType;
import io.frameq.frame.FrameDecodeException;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameHeaders;
import io.frameq.frame.FrameMetadata;
import io.frameq.testing.Mutator;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CI run of the hostile-input tests (issue 22): mutants of the committed seed corpus through
 * every decoder (FFmpeg JPEG and PNG, raw frames, MP4 and MPEG-TS segments through the demuxer), the
 * frame-header parser and the event parser, {@value #DECODES} + {@value #HEADERS} + {@value #EVENTS}
 * inputs with a fixed jqwik seed. Each must be accounted for — decoded, or refused with the reason its
 * DLQ record would carry — with no crash and no hang; the totals are checked after the run. The
 * longer campaign is {@link FuzzCampaign}.
 */
@Tag("slow")
class HostileInputTest {

    static final int DECODES = 20_000;
    static final int HEADERS = 3_000;
    static final int EVENTS = 3_000;
    private static final Logger LOG = LoggerFactory.getLogger(HostileInputTest.class);

    private static HostileInputs inputs;
    private static FrameDecoders decoders;
    private static final AtomicLong headerOutcomes = new AtomicLong();
    private static final AtomicLong eventOutcomes = new AtomicLong();
    private static long started;

    @BeforeContainer
    static void open() {
        inputs = HostileInputs.load();
        decoders = new FrameDecoders(HostileInputs.LIMITS);
        started = System.nanoTime();
    }

    @AfterContainer
    static void report() {
        decoders.close();
        Map<String, Long> tally = inputs.tally();
        long decodeOutcomes = tally.values().stream().mapToLong(Long::longValue).sum();
        LOG.info("hostile inputs: {} decodes {}, {} header sets, {} events, {} s", decodeOutcomes, tally, headerOutcomes.get(),
                eventOutcomes.get(), (System.nanoTime() - started) / 1_000_000_000);
        // every input accounted for: one outcome per try, none lost to a swallowed failure
        assertThat(decodeOutcomes).as("decode outcomes").isEqualTo(DECODES);
        assertThat(headerOutcomes.get()).as("header outcomes").isEqualTo(HEADERS);
        assertThat(eventOutcomes.get()).as("event outcomes").isEqualTo(EVENTS);
        assertThat(tally).as("mutants both decode and get refused: the run reaches past the first check").containsKey("decoded")
                .containsKey("corrupt");
    }

    @Provide
    Arbitrary<Long> randomSeeds() {
        return Arbitraries.longs();
    }

    @Property(tries = DECODES, seed = "22001", shrinking = ShrinkingMode.OFF)
    void everyMutatedPayloadIsDecodedOrRefusedWithAReason(@ForAll("randomSeeds") long random) {
        inputs.decode(decoders, inputs.draw(random));
    }

    @Property(tries = HEADERS, seed = "22002", shrinking = ShrinkingMode.OFF)
    void everyHeaderSetParsesOrIsRefusedAsBadHeader(@ForAll("randomSeeds") long random) {
        SplittableRandom r = new SplittableRandom(random);
        RecordHeaders h = new RecordHeaders();
        for (String name : List.of(FrameHeaders.CONTENT_TYPE, FrameHeaders.TIMESTAMP, FrameHeaders.SEQ, FrameHeaders.PTS,
                FrameHeaders.WIDTH, FrameHeaders.HEIGHT)) {
            int pick = r.nextInt(6);
            if (pick == 0) {
                continue; // absent
            }
            byte[] value = switch (pick) {
                case 1 -> Long.toString(r.nextLong()).getBytes(StandardCharsets.US_ASCII);
                case 2 -> Mutator.mutate("1700000000000".getBytes(StandardCharsets.US_ASCII), List.of(), r, 64);
                case 3 -> randomText(r);
                case 4 -> ContentType.values()[r.nextInt(ContentType.values().length)].mime().getBytes(StandardCharsets.US_ASCII);
                default -> null; // a header with a null value
            };
            h.add(name, value);
            if (r.nextInt(8) == 0) {
                h.add(name, randomText(r)); // repeated: the last one counts
            }
        }
        FrameMetadata lenient = FrameDecoders.metadataFrom(h); // never throws
        assertThat(lenient.width() == -1 || lenient.width() >= 1).isTrue();
        try {
            FrameMetadata strict = FrameDecoders.metadataFromStrict(h);
            assertThat(strict.timestampMs()).isGreaterThanOrEqualTo(-1);
            assertThat(strict.height() == -1 || strict.height() >= 1).isTrue();
        } catch (FrameDecodeException e) {
            assertThat(e.reason()).isEqualTo(FrameDecodeException.Reason.BAD_HEADER);
            assertThat(e.getMessage()).startsWith("header frameq-").contains("expected");
        }
        headerOutcomes.incrementAndGet();
    }

    @Property(tries = EVENTS, seed = "22003", shrinking = ShrinkingMode.OFF)
    void everyMutatedEventParsesOrIsRefused(@ForAll("randomSeeds") long random) {
        SplittableRandom r = new SplittableRandom(random);
        List<Map.Entry<String, byte[]>> seeds = new ArrayList<>(HostileInputs.jsonSeeds().entrySet());
        Map.Entry<String, byte[]> seed = seeds.get(r.nextInt(seeds.size()));
        byte[] json = Mutator.mutate(seed.getValue(), seeds.stream().map(Map.Entry::getValue).toList(), r, 1 << 16);
        Class<?> type = seed.getKey().contains("alert") ? AlertEvent.class : ScoreEvent.class;
        try {
            Object event = EventJson.fromBytes(json, type);
            assertThat(event).isNotNull();
            assertThat(EventJson.toBytes(event)).isNotEmpty(); // what parsed can be written again
        } catch (UncheckedIOException e) {
            assertThat(e.getMessage()).startsWith("could not parse " + type.getSimpleName());
        }
        eventOutcomes.incrementAndGet();
    }

    private static byte[] randomText(SplittableRandom r) {
        StringBuilder s = new StringBuilder();
        int n = r.nextInt(r.nextInt(10) == 0 ? 5000 : 24);
        for (int i = 0; i < n; i++) {
            s.appendCodePoint(r.nextInt(4) == 0 ? r.nextInt(0x20, 0x2FFFF) : "0123456789-+ .eE;=x".charAt(r.nextInt(19)));
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }
}
