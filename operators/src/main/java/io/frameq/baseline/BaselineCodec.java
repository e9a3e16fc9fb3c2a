package io.frameq.baseline;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A {@link StreamBaseline} as bytes for a state store and its changelog (a few tens of KB per stream at the
 * default window). Versioned: bytes of another version, or that cannot be read, decode as "nothing learnt",
 * which costs one warm-up and never a crash.
 */
public final class BaselineCodec {

    private static final int VERSION = 5;

    private BaselineCodec() {
    }

    public static byte[] encode(StreamBaseline b) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(b.capacity);
            out.writeLong(b.frozenSinceMs);
            out.writeUTF(b.lastMode == null ? "" : b.lastMode.name());
            out.writeByte(b.modes.size());
            for (Map.Entry<SceneMode, ModeBaseline> e : b.modes.entrySet()) {
                ModeBaseline m = e.getValue();
                out.writeUTF(e.getKey().name());
                out.writeInt(m.samples);
                out.writeLong(m.lastSampleMs);
                out.writeInt(m.offSceneRun);
                out.writeLong(m.offSceneSinceMs);
                out.writeBoolean(m.moved);
                out.writeInt(m.onSceneRun);
                out.writeByte(m.recentViews.size());
                for (byte[] view : m.recentViews) {
                    out.writeInt(view.length);
                    out.write(view);
                }
                out.writeByte(m.readings.size());
                for (Map.Entry<String, RobustWindow> w : m.readings.entrySet()) {
                    out.writeUTF(w.getKey());
                    writeSamples(out, w.getValue());
                }
                writeSamples(out, m.sceneMatch);
                out.writeLong(m.firstMatchSampleMs);
                out.writeLong(m.lastMatchSampleMs);
                int stored = Math.min(m.samples, m.capacity());
                out.writeInt(stored);
                for (int i = 0; i < stored; i++) {
                    // Oldest first, so a decoded ring keeps dropping the oldest.
                    String[] codes = m.flags[(m.flagNext - stored + i + m.capacity()) % m.capacity()];
                    codes = codes == null ? new String[0] : codes;
                    out.writeByte(codes.length);
                    for (String c : codes) {
                        out.writeUTF(c);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory stream: does not happen
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes stored bytes; null, unreadable or other-version bytes, or another capacity than {@code capacity},
     * give a fresh baseline of that capacity.
     */
    public static StreamBaseline decode(byte[] bytes, int capacity) {
        if (bytes == null) {
            return new StreamBaseline(capacity);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readByte() != VERSION || in.readInt() != capacity) {
                return new StreamBaseline(capacity);
            }
            StreamBaseline b = new StreamBaseline(capacity);
            b.frozenSinceMs = in.readLong();
            String lastMode = in.readUTF();
            b.lastMode = lastMode.isEmpty() ? null : SceneMode.valueOf(lastMode);
            int modes = in.readByte();
            for (int i = 0; i < modes; i++) {
                ModeBaseline m = b.mode(SceneMode.valueOf(in.readUTF()));
                m.samples = in.readInt();
                m.lastSampleMs = in.readLong();
                m.offSceneRun = in.readInt();
                m.offSceneSinceMs = in.readLong();
                m.moved = in.readBoolean();
                m.onSceneRun = in.readInt();
                int views = in.readByte();
                for (int v = 0; v < views; v++) {
                    m.addView(in.readNBytes(in.readInt()));
                }
                int readings = in.readByte();
                for (int r = 0; r < readings; r++) {
                    String key = in.readUTF();
                    RobustWindow w = m.readings.get(key);
                    readSamples(in, w == null ? new RobustWindow(capacity) : w); // a reading no longer kept is skipped
                }
                readSamples(in, m.sceneMatch);
                m.firstMatchSampleMs = in.readLong();
                m.lastMatchSampleMs = in.readLong();
                int stored = in.readInt();
                for (int s = 0; s < stored; s++) {
                    String[] codes = new String[in.readByte()];
                    for (int c = 0; c < codes.length; c++) {
                        codes[c] = in.readUTF();
                    }
                    m.addFlags(codes);
                }
            }
            return b;
        } catch (IOException | RuntimeException e) {
            return new StreamBaseline(capacity);
        }
    }

    private static void writeSamples(DataOutputStream out, RobustWindow w) throws IOException {
        double[] s = w.samples();
        out.writeInt(s.length);
        for (double v : s) {
            out.writeFloat((float) v); // float precision is plenty for medians of detector readings
        }
    }

    private static void readSamples(DataInputStream in, RobustWindow w) throws IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            w.add(in.readFloat());
        }
    }
}
