package io.frameq.join;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

import io.frameq.frame.ContentType;
import io.frameq.frame.FrameMetadata;
import io.frameq.frame.FrameSource;

/**
 * A frame waiting in a join store for its partner. It keeps the encoded bytes, never pixels: an
 * image or raw frame keeps its original record value (and what is needed to decode it again); a
 * frame cut from a video segment is kept as a lossless PNG of that one frame, so the store never
 * holds a whole segment per frame and scoring sees exactly the decoded pixels.
 *
 * @param originId origin stream id (the join key)
 * @param renditionId rendition stream id, empty for an origin frame
 * @param matchKey seq or pts, per {@link JoinPolicy.MatchOn}
 * @param seq frame sequence number
 * @param ptsMillis presentation time, -1 when unknown
 * @param captureTimeMs capture time, epoch ms
 * @param timestamp record timestamp (event time of the join)
 * @param arrivedWallMs wall-clock ms when the join buffered it (join latency)
 * @param source input coordinates
 * @param contentType the MIME type of {@code payload}
 * @param width frame width in pixels
 * @param height frame height in pixels
 * @param matched true once it paired with at least one partner (an origin can pair with many renditions)
 * @param payload encoded bytes
 */
public record BufferedFrame(String originId, String renditionId, long matchKey, long seq, long ptsMillis, long captureTimeMs,
                            long timestamp, long arrivedWallMs, FrameSource source, String contentType, int width, int height,
                            boolean matched, byte[] payload) {

    private static final int FORMAT = 1;

    public BufferedFrame withMatched() {
        return new BufferedFrame(originId, renditionId, matchKey, seq, ptsMillis, captureTimeMs, timestamp, arrivedWallMs, source,
                contentType, width, height, true, payload);
    }

    /** The headers-equivalent metadata needed to decode {@link #payload} again. */
    public FrameMetadata metadata() {
        Optional<ContentType> type = ContentType.parse(contentType);
        boolean raw = type.map(ContentType::isRaw).orElse(false);
        return new FrameMetadata(type, -1, -1, -1, raw ? width : -1, raw ? height : -1);
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(payload.length + 256);
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.writeByte(FORMAT);
            out.writeUTF(originId);
            out.writeUTF(renditionId);
            out.writeLong(matchKey);
            out.writeLong(seq);
            out.writeLong(ptsMillis);
            out.writeLong(captureTimeMs);
            out.writeLong(timestamp);
            out.writeLong(arrivedWallMs);
            out.writeUTF(source.topic());
            out.writeInt(source.partition());
            out.writeLong(source.offset());
            out.writeInt(source.index());
            out.writeUTF(contentType);
            out.writeInt(width);
            out.writeInt(height);
            out.writeBoolean(matched);
            out.writeInt(payload.length);
            out.write(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    public static BufferedFrame fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalStateException("BufferedFrame: format expected " + FORMAT + ", actual " + format);
            }
            String origin = in.readUTF();
            String rendition = in.readUTF();
            long matchKey = in.readLong();
            long seq = in.readLong();
            long pts = in.readLong();
            long capture = in.readLong();
            long ts = in.readLong();
            long arrived = in.readLong();
            FrameSource source = new FrameSource(in.readUTF(), in.readInt(), in.readLong(), in.readInt());
            String type = in.readUTF();
            int w = in.readInt();
            int h = in.readInt();
            boolean matched = in.readBoolean();
            byte[] payload = new byte[in.readInt()];
            in.readFully(payload);
            return new BufferedFrame(origin, rendition, matchKey, seq, pts, capture, ts, arrived, source, type, w, h, matched, payload);
        } catch (IOException e) {
            throw new UncheckedIOException("BufferedFrame: truncated store value", e);
        }
    }
}
