package io.frameq.detect;

/**
 * The numbers behind {@link FaultRules}. Values are per cell of the {@link SpatialGrid} unless named a share (of the
 * cells) or a quantile over the cells. {@link #DEFAULTS} were fitted on the fit half of the real development set
 * (clean photos, 1 frame/s of 15 clean camera clips and of 7 demo clips, real fault photos); each threshold keeps a
 * margin to the nearest clean frame of the fit half. The comments give what was measured.
 */
public record FaultThresholds(
        double flatBelowContrast, double flatBelowRange, double coveredAboveFlatShare,
        int minTexturedCells, double softBelowCrispRelative, double softBelowCrisp, double veilAboveFloor,
        double crispAboveRelative, double soiledMinCrispShare, int soiledAboveBlobCells, int raindropsAboveIslands,
        double hazyAboveBlackLevel, double hazyBelowRange, double hazyBelowSaturation,
        double lowVisibilityAboveHazyShare, double lowVisibilityMinSaturation, double lowVisibilityMinRange,
        double thickFogAboveHazyShare, double flatFogAboveHazyShare, double flatFogMinRange,
        double denseFogAboveHazyShare, double denseFogAboveMeanLuma, double denseFogMinRange,
        double glareClippedAbove, double glareMaxClippedShare, double glareAboveVeil,
        double defocusedBelowCrisp90, double defocusedBelowFineEdges,
        double colourCastAbove,
        double darkBelowMeanLuma, double darkAlwaysBelowMeanLuma, double dimBelowWhiteLevel, double darkAboveDimShare,
        double blownAboveClipped, double overexposedAboveBlownShare, double overexposedAboveLumaQ25,
        double greyscaleBelowSaturation) {

    /** A cell needs this much luma range (98th - 2nd percentile) before its edges are judged. */
    static final double TEXTURED_ABOVE_RANGE = 24;

    public static final FaultThresholds DEFAULTS = new FaultThresholds(
            // covered: flat cells (contrast < 4, range < 14). Clean clips reach 0.75 of the cells flat (a grey
            // conveyor belt), clean photos 0.71 (a PolyU crop of a plain surface): 0.85 keeps clear of both.
            4, 14, 0.85,
            // soiled / raindrops: soft (crispness < 0.3 of the frame's 90th percentile and < 0.5) and veiled (black
            // level 60 above the frame's floor) cells, in one blob of >= 20 cells (soiled) or >= 7 islands of 1-2
            // cells (raindrops), while >= 25 % of the textured cells stay crisp. Shallow depth of field, sunsets and
            // bokeh make soft, bright patches common in clean photos: with blobs of >= 7 cells 22 of 319 clean photos
            // fired, with >= 20 cells and a veil of 60 none does. The price: the real dirty-lens photos (SIDL) are
            // missed (see models/EVAL.md); a per-stream baseline (sharpness per cell over days) would find them.
            12, 0.3, 0.5, 60, 0.6, 0.25, 20, 7,
            // low visibility: hazy cells (black level > 50, range < 90, saturation < 40) >= 85 % of the frame, with
            // some colour (median saturation >= 8) and some range (median >= 20). O-HAZE: 85-96 % hazy cells,
            // clean photos and clips <= 83 % (a bottling-line clip). A colourless frame (median saturation < 8,
            // or greyscale) needs >= 95 % hazy cells: thick daytime fog is grey (real fog photos of the extra set:
            // 98-100 % hazy, median saturation 2-5), while the colourless clean frames reach 88 % (a grey highway
            // clip) and 92-94 % with a median range of 9-13 (a grey car park, which the range gate of 20 stops).
            // Dense haze over a coloured scene also squeezes the median range under 20 (real haze photos of the
            // extra set: 14 and 17.5, with 100 % and 92 % hazy cells): with colour, a median range of 12-20 counts
            // when >= 90 % of the cells are hazy. The nearest clean frames there: a bottling-line clip at 81-83 %
            // hazy with a range of 12.5-17.5.
            50, 90, 40, 0.85, 8, 20, 0.95, 0.90, 12,
            // Dense fog flattens a scene further, down to a median range of 6-12 in O-HAZE scenes rendered to
            // Dense-Haze's density (transmission 0.06-0.15; no real dense-fog photo in the development data): then
            // the flat-cell test of `covered` fires too. Daytime fog is the bright airlight itself, a cover blocks
            // the light: a frame hazy in >= 97 % of its cells at a mean luma >= 150 with a median range >= 4 is
            // low_visibility and not covered, colour or none. No clean photo or clip frame of the development data
            // is that bright and that hazy (the nearest, a bright wood texture, 100 % hazy with a range of 29.5, is
            // already flagged; a grey car park, 92 % at a luma of 113).
            // A colourless frame that bright (mean luma >= 150) needs only the coloured frames' 85 % of hazy cells:
            // grey daylight fog (a real hazy street of the extra set: 88 %, luma 209), while the colourless clean
            // frames hazy in 88-94 % of their cells are darker (a grey highway and an IR car park: luma 106-129) and
            // the bright ones stay <= 81 % (a pale wallpaper). Coloured frames keep 85 %: a bright bottling-line
            // clip reaches 81-85 % hazy cells with a median range over 20.
            0.97, 150, 4,
            // glare: clipped (> 2 %) cells on at most 35 % of the frame whose neighbours' black level is lifted
            // more than 0.6 of the way from the frame's floor (10th percentile of the cells) to white, with at least
            // two such veiled neighbours. Clean clips: median lift <= 0.41; clean photos <= 0.58 except one photo
            // of a marsh with the sun in frame (0.83).
            0.02, 0.35, 0.6,
            // defocused: 90th percentile crispness of the textured cells < 0.6. Real defocus at 640 px: 0.45-0.57;
            // clean photos >= 0.83, clean clips >= 1.2; soft 512 px PolyU crops of 100 % camera pixels 0.35-1.
            // Or, on a picture shrunk >= 1.5x to the working plane, its sharpest edges at native scale (FineEdges,
            // 90th percentile) < 0.45: midway between the fit half's real defocus (2048 px photos: 0.28) and the
            // fit-half clean photo the 2 % allowance stops at (0.62; below it one soft wallpaper 0.34, two 0.58-0.60).
            0.6, 0.45,
            // colour cast: chroma of the least colourful quarter of the cells > 0.8; clean clips <= 0.57, clean
            // photos <= 0.76 except four saturated close-ups (flowers, blinds, meadow: 0.97-1.65).
            0.8,
            // dark: mean luma < 40 with >= 78 % of the cells dim (98th percentile < 70), or mean luma < 22 whatever
            // the cells. Under-exposed real photos: 81-100 % dim; night streets with lamps (LLVIP, clips) <= 73 %.
            40, 22, 70, 0.78,
            // overexposed: cells > 25 % clipped on >= 24 % of the frame and the darker quarter of the cells at
            // mean luma >= 128. Real over-exposures: 25-63 % blown; clean photos <= 27 % blown and then their
            // darker quarter <= 121 (a bright sky over darker ground); clips <= 19 %.
            0.25, 0.24, 128,
            // greyscale (IR mode): median cell saturation < 3 and 90th percentile < 6.
            6);
}
