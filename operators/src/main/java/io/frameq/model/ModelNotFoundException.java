package io.frameq.model;

/** A name (or name and version) that no root of a {@link ModelRepository} provides. */
public class ModelNotFoundException extends ModelLoadException {

    private static final long serialVersionUID = 1L;

    public ModelNotFoundException(String model, String message) {
        super(model, message, null);
    }
}
