package io.frameq.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frameq.model.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLConnection;

/** Reads the files next to a model.json, from a directory or a jar alike. */
final class Resources {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Resources() {
    }

    static byte[] bytes(String model, URI uri, String field) {
        try {
            URLConnection conn = uri.toURL().openConnection();
            conn.setUseCaches(false); // a jar opened here is closed with the stream
            try (InputStream in = conn.getInputStream()) {
                return in.readAllBytes();
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelLoadException(model, field, "a readable file at " + uri, e.toString(), e);
        }
    }

    static JsonNode json(String model, URI uri, String field) {
        try {
            return JSON.readTree(bytes(model, uri, field));
        } catch (IOException e) {
            throw new ModelLoadException(model, field, "valid JSON at " + uri, e.getMessage(), e);
        }
    }
}
