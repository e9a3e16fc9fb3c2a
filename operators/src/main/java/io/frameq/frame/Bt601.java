package io.frameq.frame;

/**
 * YUV 4:2:0 to RGB24 with the BT.601 matrix in limited ("TV", "MPEG") range: Y in 16..235, U and V
 * in 16..240, as cameras and hardware encoders emit raw NV12/I420 unless they say otherwise. The
 * contract has no header for matrix or range, so one convention is fixed here; full-range sources
 * come out with slightly stretched contrast.
 *
 * <p>Fixed-point (8 fractional bits), the usual integer form of
 * R = 1.164(Y-16) + 1.596(V-128), G = 1.164(Y-16) - 0.392(U-128) - 0.813(V-128),
 * B = 1.164(Y-16) + 2.017(U-128). Chroma is taken from the 2x2 block a pixel lies in (no
 * interpolation): exact for the block-constant chroma 4:2:0 stores, and fast.
 */
final class Bt601 {

    private static final int[] LUMA = new int[256];
    private static final int[] V_TO_R = new int[256];
    private static final int[] U_TO_G = new int[256];
    private static final int[] V_TO_G = new int[256];
    private static final int[] U_TO_B = new int[256];

    /**
     * Saturation to 0..255 by lookup. Sums of luma and chroma terms, shifted by 8, lie in
     * -278..537 (Y=0 with U=0 up to Y=255 with U=255); the table covers -512..767.
     */
    private static final int CLAMP_OFFSET = 512;
    private static final byte[] CLAMP = new byte[1280];

    static {
        for (int i = 0; i < CLAMP.length; i++) {
            CLAMP[i] = (byte) Math.max(0, Math.min(255, i - CLAMP_OFFSET));
        }
        for (int i = 0; i < 256; i++) {
            LUMA[i] = 298 * (i - 16) + 128; // +128 rounds the final >> 8
            V_TO_R[i] = 409 * (i - 128);
            U_TO_G[i] = -100 * (i - 128);
            V_TO_G[i] = -208 * (i - 128);
            U_TO_B[i] = 516 * (i - 128);
        }
    }

    private Bt601() {}

    /** Bytes of a tightly packed 4:2:0 frame (I420 or NV12): a full Y plane plus two quarter chroma planes. */
    static long yuv420Bytes(long width, long height) {
        return width * height + 2 * ((width + 1) / 2) * ((height + 1) / 2);
    }

    /** I420 (YUV420p): Y plane, then U plane, then V plane, each (w+1)/2 x (h+1)/2 for chroma. */
    static byte[] i420ToRgb(byte[] src, int width, int height) {
        int chromaWidth = (width + 1) / 2;
        int uPlane = width * height;
        int vPlane = uPlane + chromaWidth * ((height + 1) / 2);
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            int c = (y >> 1) * chromaWidth;
            convertRow(src, y * width, width, src, uPlane + c, 1, vPlane + c, out);
        }
        return out;
    }

    /** NV12: Y plane, then one plane of interleaved U,V pairs ((w+1)/2 pairs per row). */
    static byte[] nv12ToRgb(byte[] src, int width, int height) {
        int chromaRowBytes = (width + 1) / 2 * 2;
        int uvPlane = width * height;
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            int c = uvPlane + (y >> 1) * chromaRowBytes;
            convertRow(src, y * width, width, src, c, 2, c + 1, out);
        }
        return out;
    }

    /**
     * One output row: the chroma terms are computed once per horizontal pair of pixels, and the
     * final clamp is a table lookup (no branches to mispredict on noisy pictures).
     *
     * @param chromaStep 1 for planar U and V, 2 for interleaved UV
     */
    private static void convertRow(byte[] luma, int yStart, int width, byte[] chroma, int uStart, int chromaStep, int vStart,
            byte[] out) {
        int o = yStart * 3;
        int u = uStart;
        int v = vStart;
        for (int x = 0; x < width; x += 2, u += chromaStep, v += chromaStep) {
            int cu = chroma[u] & 0xff;
            int cv = chroma[v] & 0xff;
            int r = V_TO_R[cv];
            int g = U_TO_G[cu] + V_TO_G[cv];
            int b = U_TO_B[cu];
            int l = LUMA[luma[yStart + x] & 0xff];
            out[o] = CLAMP[((l + r) >> 8) + CLAMP_OFFSET];
            out[o + 1] = CLAMP[((l + g) >> 8) + CLAMP_OFFSET];
            out[o + 2] = CLAMP[((l + b) >> 8) + CLAMP_OFFSET];
            o += 3;
            if (x + 1 < width) {
                l = LUMA[luma[yStart + x + 1] & 0xff];
                out[o] = CLAMP[((l + r) >> 8) + CLAMP_OFFSET];
                out[o + 1] = CLAMP[((l + g) >> 8) + CLAMP_OFFSET];
                out[o + 2] = CLAMP[((l + b) >> 8) + CLAMP_OFFSET];
                o += 3;
            }
        }
    }
}
