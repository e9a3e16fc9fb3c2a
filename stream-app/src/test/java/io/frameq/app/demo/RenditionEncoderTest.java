package io.frameq.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.frameq.frame.RgbImage;
import io.frameq.quality.ClassicFr;
import io.frameq.translate.BicubicResampler;

import org.junit.jupiter.api.Test;

/** The demo's H.264 ladder on a real bundled clip: real OpenH264 encodes decoded back by FFmpeg. */
class RenditionEncoderTest {

    @Test
    void encodesAndDecodesEveryFrameAndALowerRungLosesMoreQuality() {
        List<RgbImage> clip = DemoClips.read("people.mp4", 2, 12);
        RenditionEncoder.Rendition high = RenditionEncoder.encode(clip, 640, 360, 600_000, 2);
        RenditionEncoder.Rendition low = RenditionEncoder.encode(clip, 320, 180, 60_000, 2);
        System.gc();

        assertThat(high.frames()).hasSize(clip.size());
        assertThat(low.frames()).hasSize(clip.size());
        assertThat(low.frames().get(0).width()).isEqualTo(320);
        assertThat(low.bitstreamBytes()).isLessThan(high.bitstreamBytes());
        double highPsnr = 0;
        double lowPsnr = 0;
        for (int i = 0; i < clip.size(); i++) {
            highPsnr += ClassicFr.psnr(clip.get(i), high.frames().get(i));
            lowPsnr += ClassicFr.psnr(clip.get(i), BicubicResampler.resize(low.frames().get(i), 640, 360));
        }
        assertThat(highPsnr / clip.size()).as("600 kbps 360p PSNR").isGreaterThan(30);
        assertThat(lowPsnr).isLessThan(highPsnr);
    }
}
