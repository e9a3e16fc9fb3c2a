package io.frameq.app.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A "before | after" picture for people: two frames next to each other, each under a caption bar
 * (model, scores). Written as PNG when the file name ends in {@code .png}, else JPEG (quality 92).
 */
final class SideBySide {

    private static final Logger LOG = LoggerFactory.getLogger(SideBySide.class);
    private static final int GAP = 8;

    private SideBySide() {}

    /** {@code left | right}, both shown at their own size, top-aligned, captions above. */
    static RgbImage compose(RgbImage left, String leftCaption, RgbImage right, String rightCaption) {
        // captions readable at any size: 13 px up to ~520 px wide frames, then 1/40 of the width (at most 64 px)
        int fontSize = Math.max(13, Math.min(64, left.width() / 40));
        int bar = fontSize + 9;
        int w = left.width() + GAP + right.width();
        int h = bar + Math.max(left.height(), right.height());
        BufferedImage canvas = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setColor(new Color(32, 32, 32));
            g.fillRect(0, 0, w, h);
            g.drawImage(toBuffered(left), 0, bar, null);
            g.drawImage(toBuffered(right), left.width() + GAP, bar, null);
            try {
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, fontSize));
                g.setColor(Color.WHITE);
                g.drawString(leftCaption, 4, bar - 6);
                g.drawString(rightCaption, left.width() + GAP + 4, bar - 6);
            } catch (RuntimeException | Error e) { // a JRE without fonts: the picture is still useful
                LOG.warn("side-by-side: captions not drawn ({}); they are in the JSON line", e.toString());
            }
        } finally {
            g.dispose();
        }
        byte[] bgr = ((DataBufferByte) canvas.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[bgr.length];
        for (int i = 0; i < bgr.length; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
        return new RgbImage(w, h, rgb);
    }

    static void write(RgbImage image, Path file) throws IOException {
        boolean png = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png");
        Files.write(file, png ? ImageEncoder.png(image) : ImageEncoder.jpeg(image, 92));
    }

    /** The file for image {@code index} of {@code count}: {@code file} itself for one image, else {@code name-N.ext}. */
    static Path forImage(Path file, int index, int count) {
        if (count == 1) {
            return file;
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String numbered = dot < 0 ? name + "-" + index : name.substring(0, dot) + "-" + index + name.substring(dot);
        return file.resolveSibling(numbered);
    }

    private static BufferedImage toBuffered(RgbImage img) {
        BufferedImage b = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) b.getRaster().getDataBuffer()).getData();
        byte[] src = img.pixels();
        for (int i = 0; i < src.length; i += 3) {
            dst[i] = src[i + 2];
            dst[i + 1] = src[i + 1];
            dst[i + 2] = src[i];
        }
        return b;
    }
}
