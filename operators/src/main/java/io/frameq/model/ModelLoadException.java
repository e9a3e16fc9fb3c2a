package io.frameq.model;

import io.frameq.errors.FrameqException;

/**
 * A model could not be found, read, parsed or opened. When the failure is a mismatch with the
 * {@code model.json} contract, the message has the fixed form
 * {@code model '<name>': field '<field>': expected <expected>, actual <actual>} and the parts are
 * also available as {@link #model()}, {@link #field()}, {@link #expected()} and {@link #actual()}.
 *
 * <p>Unchecked: a broken model is a deployment error that should stop start-up, not something a
 * stream thread can recover from.
 */
public class ModelLoadException extends FrameqException {

    private static final long serialVersionUID = 1L;

    private final String model;
    private final String field;
    private final String expected;
    private final String actual;

    /** A contract mismatch: which field of which model, what was expected and what was found. */
    public ModelLoadException(String model, String field, String expected, String actual) {
        this(model, field, expected, actual, null);
    }

    /** A contract mismatch with an underlying cause. */
    public ModelLoadException(String model, String field, String expected, String actual, Throwable cause) {
        super("model '" + model + "': field '" + field + "': expected " + expected + ", actual " + actual, cause);
        this.model = model;
        this.field = field;
        this.expected = expected;
        this.actual = actual;
    }

    /** A failure that is not about one field (I/O, native errors); the message is used as given. */
    public ModelLoadException(String model, String message, Throwable cause) {
        super("model '" + model + "': " + message, cause);
        this.model = model;
        this.field = null;
        this.expected = null;
        this.actual = null;
    }

    /** Name of the model, or the folder it was read from when the name itself is unusable. */
    public String model() {
        return model;
    }

    /** Dotted path of the offending field (e.g. {@code preprocess.crop.size}), or null. */
    public String field() {
        return field;
    }

    /** What the contract requires, or null when the failure is not about one field. */
    public String expected() {
        return expected;
    }

    /** What was found, or null when the failure is not about one field. */
    public String actual() {
        return actual;
    }
}
