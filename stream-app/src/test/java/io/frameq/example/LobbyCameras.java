package io.frameq.example;

import java.util.Locale;

import io.frameq.api.FrameqOperators;
import io.frameq.api.FrameqSerdes;
import io.frameq.api.FrameqStreams;
import io.frameq.event.ScoreEvent;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The README's embedding example, as a user would write it: their own topology keeps the lobby
 * cameras' frames, hands them to FrameQ's decode → detect → score, and turns each score event into
 * their own one-line summary. {@code EmbeddingExampleIT} runs it on the in-JVM broker.
 */
public final class LobbyCameras {

    public static final String FRAMES = "camera.frames";
    public static final String SUMMARIES = "lobby.quality";
    public static final String REJECTED = "lobby.rejected";

    private LobbyCameras() {}

    public static Topology topology(FrameqOperators frameq) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, byte[]> lobby = builder.stream(FRAMES, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .filter((camera, frame) -> camera != null && camera.startsWith("lobby-"));

        FrameqStreams quality = frameq.score(lobby);

        quality.scores()
                .mapValues(LobbyCameras::summary)
                .to(SUMMARIES, Produced.with(Serdes.String(), Serdes.String()));
        quality.deadLetters().to(REJECTED, Produced.with(Serdes.String(), FrameqSerdes.deadLetter()));
        return builder.build();
    }

    static String summary(ScoreEvent e) {
        return String.format(Locale.ROOT, "%s #%d %s quality=%.3f by %s", e.stream(), e.seq(), e.verdict(), e.quality(),
                e.model().name());
    }
}
