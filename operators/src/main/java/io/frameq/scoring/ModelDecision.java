package io.frameq.scoring;

/**
 * Whether one frame goes through the model, and why (for the event and the metrics).
 *
 * @param run     true: score the frame with the model
 * @param because why it runs ({@code suspect}, {@code first}, {@code gap}, {@code sampled}) or, when it does
 *                not, why not ({@code sampled_out}, {@code shed}, {@code budget}): the wire words of {@link #SKIP_REASONS}
 */
public record ModelDecision(boolean run, String because) {

    public static final String SUSPECT = "suspect";
    public static final String FIRST = "first";
    public static final String GAP = "gap";
    public static final String SAMPLED = "sampled";
    /** Not due: the stream's sampling already ran the model recently enough. */
    public static final String SAMPLED_OUT = "sampled_out";
    /** Due (or a repeated suspect), but the frame was older than the shedding lag. */
    public static final String SHED = "shed";
    /** Picked (a first frame, gap, suspect or due sample), but over the instance's {@link ModelBudget}: deferred to a later frame. */
    public static final String BUDGET = "budget";

    /** The values of a score event's {@code model_skipped}. */
    public static final java.util.List<String> SKIP_REASONS = java.util.List.of(SAMPLED_OUT, SHED, BUDGET);

    /** The reason a score event reports, null when the model ran. */
    public String skipped() {
        return run ? null : because;
    }
}
