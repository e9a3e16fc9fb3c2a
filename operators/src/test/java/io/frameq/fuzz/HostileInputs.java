package io.frameq.fuzz;

import io.frameq.deadline.Deadline;
import io.frameq.deadline.Watchdog;
import io.frameq.frame.ContentType;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.DecodedFrame;
import io.frameq.frame.FrameDecodeException;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameHeaders;
import io.frameq.frame.FrameMetadata;
import io.frameq.testing.Mutator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The hostile-input harness shared by the CI property tests ({@link HostileInputTest}) and the long
 * campaign ({@link FuzzCampaign}): the committed seed corpus, how one mutant record is drawn from a
 * random seed, and what counts as an accounted outcome. An input is accounted when it is decoded
 * (every frame within limits) or refused with a {@link FrameDecodeException} whose reason and
 * message say why — the DLQ reason it would get. Anything else is a crash; a decode that passes its
 * deadline is a hang. Both fail the run with the random seed that reproduces the input.
 */
public final class HostileInputs {

    /** The committed seed corpus (made by the project, see its LICENSE.txt). */
    public static final Path CORPUS = Path.of("src/test/resources/fuzz");
    /** Each input's decode deadline: far above any seed's decode time, so only a real hang reaches it. */
    public static final long HANG_MS = 10_000;
    /** Tight limits: the mutants are small, and size fields blown up by a mutation must be refused early. */
    public static final DecodeLimits LIMITS = new DecodeLimits(1 << 20, 4096, 4096, 64, 1);

    /** One seed: its bytes and the content type a producer would declare for it. */
    public record Seed(String name, byte[] bytes, ContentType type) {}

    /** One hostile record: the payload and headers a producer sent. */
    public record HostileRecord(String seed, long random, byte[] payload, Headers headers) {
        @Override
        public String toString() {
            return "mutant of " + seed + " (random seed " + random + ", " + payload.length + " bytes)";
        }
    }

    private final List<Seed> seeds;
    private final List<byte[]> media;
    private final Map<String, LongAdder> tally = new ConcurrentHashMap<>();

    private HostileInputs(List<Seed> seeds) {
        this.seeds = seeds;
        this.media = seeds.stream().filter(s -> s.type() != null).map(Seed::bytes).toList();
    }

    public static HostileInputs load() {
        List<Seed> seeds = new ArrayList<>();
        try (Stream<Path> files = Files.list(CORPUS)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                ContentType type = typeOf(name);
                if (type != null) {
                    seeds.add(new Seed(name, Files.readAllBytes(f), type));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("fuzz corpus " + CORPUS.toAbsolutePath(), e);
        }
        if (seeds.size() < 8) {
            throw new IllegalStateException("fuzz corpus " + CORPUS.toAbsolutePath() + ": expected the committed seeds, actual "
                    + seeds.size() + " files");
        }
        return new HostileInputs(seeds);
    }

    private static ContentType typeOf(String name) {
        if (name.endsWith(".jpg")) {
            return ContentType.JPEG;
        } else if (name.endsWith(".png")) {
            return ContentType.PNG;
        } else if (name.endsWith(".mp4")) {
            return ContentType.MP4;
        } else if (name.endsWith(".ts")) {
            return ContentType.MPEG_TS;
        } else if (name.endsWith(".rgb24")) {
            return ContentType.RAW_RGB24;
        } else if (name.endsWith(".i420")) {
            return ContentType.RAW_I420;
        }
        return null;
    }

    public List<Seed> seeds() {
        return seeds;
    }

    /** JSON event seeds (seed_*.json), for the event-parser targets. */
    public static Map<String, byte[]> jsonSeeds() {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(CORPUS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                out.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Draws one record: a seed, mutated; its declared content type (or none, so the payload is
     * sniffed, or a wrong one); for raw frames width/height headers, sometimes mutated too.
     */
    public HostileRecord draw(long random) {
        SplittableRandom r = new SplittableRandom(random);
        Seed seed = seeds.get(r.nextInt(seeds.size()));
        byte[] payload = r.nextInt(20) == 0 ? seed.bytes().clone() : Mutator.mutate(seed.bytes(), media, r, LIMITS.maxPayloadBytes());
        RecordHeaders h = new RecordHeaders();
        int declare = r.nextInt(10);
        if (declare < 6) {
            h.add(FrameHeaders.CONTENT_TYPE, seed.type().mime().getBytes(StandardCharsets.US_ASCII));
        } else if (declare < 8) {
            ContentType other = ContentType.values()[r.nextInt(ContentType.values().length)];
            h.add(FrameHeaders.CONTENT_TYPE, other.mime().getBytes(StandardCharsets.US_ASCII));
        } // else: no content type, the payload's magic bytes decide
        if (seed.type().isRaw() || r.nextInt(10) == 0) {
            h.add(FrameHeaders.WIDTH, headerNumber("8", r));
            h.add(FrameHeaders.HEIGHT, headerNumber("6", r));
        }
        if (r.nextInt(4) == 0) {
            h.add(FrameHeaders.TIMESTAMP, headerNumber("1700000000000", r));
            h.add(FrameHeaders.PTS, headerNumber("40", r));
        }
        return new HostileRecord(seed.name(), random, payload, h);
    }

    /** A header value: mostly the valid one, sometimes mutated bytes of it. */
    static byte[] headerNumber(String valid, SplittableRandom r) {
        byte[] v = valid.getBytes(StandardCharsets.US_ASCII);
        return r.nextInt(12) == 0 ? Mutator.mutate(v, List.of(), r, 64) : v;
    }

    /**
     * Decodes one record the way the decode stage does (strict headers, then {@link FrameDecoders}),
     * under a deadline, and returns its accounted outcome: {@code decoded} or the DLQ reason.
     *
     * @throws AssertionError on a crash (any other exception), a hang (the deadline passed), or
     *     decoded frames that break the limits
     */
    public String decode(FrameDecoders decoders, HostileRecord rec) {
        String outcome;
        try (Deadline d = Watchdog.shared().open("decode", HANG_MS)) {
            FrameMetadata meta = FrameDecoders.metadataFromStrict(rec.headers());
            List<DecodedFrame> frames = decoders.decode(rec.payload(), meta);
            if (frames.isEmpty() || frames.size() > LIMITS.maxFramesPerSegment()) {
                throw new AssertionError(rec + ": decoded " + frames.size() + " frames, expected 1.." + LIMITS.maxFramesPerSegment());
            }
            for (DecodedFrame f : frames) {
                var img = f.image();
                if (img.width() < 1 || img.height() < 1 || img.width() > LIMITS.maxWidth() || img.height() > LIMITS.maxHeight()
                        || img.pixels().length != img.width() * img.height() * 3) {
                    throw new AssertionError(rec + ": decoded an impossible picture " + img.width() + "x" + img.height());
                }
            }
            outcome = "decoded";
        } catch (FrameDecodeException e) {
            if (e.reason() == FrameDecodeException.Reason.TIMEOUT) {
                throw new AssertionError("HANG: " + rec + " ran past " + HANG_MS + " ms: " + e.getMessage(), e);
            }
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError(rec + ": refused as " + e.reasonCode() + " without saying why", e);
            }
            outcome = e.reasonCode();
        } catch (RuntimeException | Error e) {
            if (e instanceof AssertionError a) {
                throw a;
            }
            throw new AssertionError("CRASH: " + rec + " threw " + e, e);
        }
        count(outcome);
        return outcome;
    }

    public void count(String outcome) {
        tally.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    }

    /** Outcome counts so far, by outcome ({@code decoded} or a DLQ reason). */
    public Map<String, Long> tally() {
        Map<String, Long> out = new TreeMap<>();
        tally.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
