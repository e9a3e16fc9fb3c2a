package io.frameq.source;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A source as the user names it: {@code [ID=]LOCATION}, where LOCATION is an image file, a folder,
 * an image-sequence pattern ({@code img%04d.png} or a glob {@code frames/*.jpg}), a video file or a
 * URL ({@code rtsp://}, {@code http://}, {@code udp://}...). Without ID the stream id is made from
 * the location (file name without extension, folder name, URL host and path).
 */
public record SourceSpec(String streamId, String location, Kind kind) {

    /** What the location is, which decides how it is read. */
    public enum Kind { IMAGE, DIRECTORY, SEQUENCE, VIDEO, URL }

    /** Extensions read as still images rather than one-frame videos. */
    static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "tif", "tiff", "webp", "ppm", "pgm", "pnm");

    private static final Pattern EXPLICIT_ID = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)=(.+)");
    private static final Pattern URL_SCHEME = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*)://.*");
    private static final Pattern SEQUENCE_PATTERN = Pattern.compile(".*%0?\\d*d.*");

    public SourceSpec {
        if (streamId == null || streamId.isBlank()) {
            throw new IllegalArgumentException("source " + location + ": stream id: expected a non-blank id, actual '" + streamId + "'");
        }
    }

    /**
     * Parses one SOURCE argument.
     *
     * @throws IllegalArgumentException naming the argument when a local path does not exist
     */
    public static SourceSpec parse(String argument) {
        String id = null;
        String location = argument;
        Matcher m = EXPLICIT_ID.matcher(argument);
        if (m.matches() && !URL_SCHEME.matcher(argument).matches()) {
            id = m.group(1);
            location = m.group(2);
        }
        Kind kind = kindOf(location);
        return new SourceSpec(id != null ? id : defaultId(location, kind), location, kind);
    }

    private static Kind kindOf(String location) {
        Matcher url = URL_SCHEME.matcher(location);
        if (url.matches() && !url.group(1).equalsIgnoreCase("file")) {
            return Kind.URL;
        }
        String path = localPath(location);
        if (SEQUENCE_PATTERN.matcher(path).matches() || path.contains("*")) {
            return Kind.SEQUENCE;
        }
        Path p = Path.of(path);
        if (Files.isDirectory(p)) {
            return Kind.DIRECTORY;
        }
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("source " + location + ": expected an image, folder, video file, image-sequence pattern "
                    + "or URL, actual no such file or folder");
        }
        return IMAGE_EXTENSIONS.contains(extension(p.getFileName().toString())) ? Kind.IMAGE : Kind.VIDEO;
    }

    /** The local path of a plain path or a {@code file://} URL. */
    static String localPath(String location) {
        return location.regionMatches(true, 0, "file://", 0, 7) ? location.substring(7) : location;
    }

    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String defaultId(String location, Kind kind) {
        String raw;
        if (kind == Kind.URL) {
            raw = location.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "").replaceFirst("^[^@/]*@", "").replaceFirst("\\?.*$", "");
        } else {
            Path p = Path.of(localPath(location)).toAbsolutePath().normalize();
            String name = p.getFileName() == null ? "root" : p.getFileName().toString();
            if (kind == Kind.SEQUENCE && p.getParent() != null && p.getParent().getFileName() != null) {
                name = p.getParent().getFileName() + "-" + name;
            }
            raw = kind == Kind.DIRECTORY ? name : stripExtension(name);
        }
        String id = raw.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return id.isEmpty() ? "stream" : id;
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? name : name.substring(0, dot);
    }

    /** This spec with another stream id (to make ids unique). */
    public SourceSpec withStreamId(String id) {
        return new SourceSpec(id, location, kind);
    }
}
