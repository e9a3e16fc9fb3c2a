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

    static {
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
            int yRow = y * width;
            int cRow = (y >> 1) * chromaWidth;
            int o = yRow * 3;
            for (int x = 0; x < width; x++) {
                int c = cRow + (x >> 1);
                o = put(out, o, src[yRow + x] & 0xff, src[uPlane + c] & 0xff, src[vPlane + c] & 0xff);
            }
        }
        return out;
    }

    /** NV12: Y plane, then one plane of interleaved U,V pairs ((w+1)/2 pairs per row). */
    static byte[] nv12ToRgb(byte[] src, int width, int height) {
        int chromaRowBytes = (width + 1) / 2 * 2;
        int uvPlane = width * height;
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            int yRow = y * width;
            int cRow = uvPlane + (y >> 1) * chromaRowBytes;
            int o = yRow * 3;
            for (int x = 0; x < width; x++) {
                int c = cRow + (x & ~1);
                o = put(out, o, src[yRow + x] & 0xff, src[c] & 0xff, src[c + 1] & 0xff);
            }
        }
        return out;
    }

    private static int put(byte[] out, int o, int y, int u, int v) {
        int luma = LUMA[y];
        out[o] = clamp((luma + V_TO_R[v]) >> 8);
        out[o + 1] = clamp((luma + U_TO_G[u] + V_TO_G[v]) >> 8);
        out[o + 2] = clamp((luma + U_TO_B[u]) >> 8);
        return o + 3;
    }

    private static byte clamp(int value) {
        return (byte) (value < 0 ? 0 : Math.min(value, 255));
    }
}
