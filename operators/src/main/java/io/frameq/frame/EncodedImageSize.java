package io.frameq.frame;

import java.util.Optional;

/**
 * Width and height of a JPEG or PNG read from its header, without decoding: lets a decoder refuse
 * an over-limit picture before the codec allocates it.
 */
record EncodedImageSize(long width, long height) {

    /** The header's dimensions, or empty when the header cannot be read (the codec then decides). */
    static Optional<EncodedImageSize> probe(ContentType type, byte[] b) {
        return switch (type) {
            case JPEG -> jpeg(b);
            case PNG -> png(b);
            default -> Optional.empty();
        };
    }

    /** PNG: IHDR must be the first chunk; width and height are big-endian at offsets 16 and 20. */
    static Optional<EncodedImageSize> png(byte[] b) {
        if (b.length < 24 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            return Optional.empty();
        }
        return Optional.of(new EncodedImageSize(u32(b, 16), u32(b, 20)));
    }

    /**
     * JPEG: walks the marker segments to the first SOFn (frame header: precision, height, width).
     * Stops at SOS: a frame header after the first scan would be malformed anyway.
     */
    static Optional<EncodedImageSize> jpeg(byte[] b) {
        int i = 2; // after SOI
        while (i + 3 < b.length) {
            if ((b[i] & 0xff) != 0xFF) {
                return Optional.empty();
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xFF) { // fill byte before a marker
                i++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // TEM, RSTn: no length
                i += 2;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) { // SOS or EOI before any frame header
                return Optional.empty();
            }
            int length = u16(b, i + 2);
            boolean frameHeader = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (frameHeader) {
                if (i + 9 > b.length) {
                    return Optional.empty();
                }
                long height = u16(b, i + 5);
                long width = u16(b, i + 7);
                // Height 0 means "defined later by a DNL marker": unknown here.
                return height == 0 ? Optional.empty() : Optional.of(new EncodedImageSize(width, height));
            }
            i += 2 + length;
        }
        return Optional.empty();
    }

    /**
     * Whether a JPEG defines quantisation (DQT) and Huffman (DHT) tables before its first scan.
     * An "abbreviated" JPEG that does not relies on tables from elsewhere (the decoder's defaults).
     */
    static boolean jpegDefinesTables(byte[] b) {
        boolean dqt = false;
        boolean dht = false;
        int i = 2;
        while (i + 3 < b.length && !(dqt && dht)) {
            if ((b[i] & 0xff) != 0xFF) {
                return false;
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return false;
            }
            dqt |= marker == 0xDB;
            dht |= marker == 0xC4;
            i += 2 + u16(b, i + 2);
        }
        return dqt && dht;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    private static long u32(byte[] b, int i) {
        return (long) (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }
}
