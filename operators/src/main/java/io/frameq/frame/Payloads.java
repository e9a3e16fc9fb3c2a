package io.frameq.frame;

import java.util.HexFormat;

/** Small helpers for describing payloads in error messages. */
final class Payloads {

    private static final int HEAD_BYTES = 8;

    private Payloads() {}

    /** The first bytes as hex, e.g. "ffd8ffe0 00104a46", enough to recognise a magic number. */
    static String headHex(byte[] payload) {
        int n = Math.min(HEAD_BYTES, payload.length);
        String hex = HexFormat.of().formatHex(payload, 0, n);
        return n < HEAD_BYTES ? hex + " (" + payload.length + " bytes in all)" : hex;
    }
}
