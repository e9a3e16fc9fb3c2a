package io.frameq.app.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files a batch command works on, from three places that never depend on the length of the command
 * line: paths given as arguments, directories among them (walked recursively), and list files of one path
 * per line ({@code -} reads standard input).
 *
 * <p>Order is stable, so two runs over the same inputs print their lines in the same order: arguments and
 * list lines in the order given, and each directory's images sorted by path. A directory contributes only
 * files with an image extension ({@link #IMAGE_EXTENSIONS}), so a README beside the photos is not an error;
 * hidden files and folders are skipped. A path named explicitly is kept whatever it is, even when it does
 * not exist: the command then prints that file's error line and goes on with the rest.
 */
public final class InputFiles {

    /** Extensions (lower case) that a directory walk picks up. */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of(
            "jpg", "jpeg", "jpe", "jfif", "png", "bmp", "gif", "tif", "tiff", "webp", "ppm", "pgm", "pnm");

    private InputFiles() {
    }

    /**
     * Expands the inputs.
     *
     * @param arguments paths from the command line: files (kept as given) or directories (expanded)
     * @param listFiles files of one path per line; {@code -} is standard input; blank lines and lines
     *     starting with {@code #} are skipped; directories named there are expanded too
     * @param stdin what {@code -} reads
     * @return the files, in a stable order
     * @throws IllegalArgumentException when a list file cannot be read or nothing at all was named
     */
    public static List<Path> expand(List<Path> arguments, List<String> listFiles, InputStream stdin) {
        List<Path> named = new ArrayList<>(arguments);
        for (String list : listFiles) {
            named.addAll(readList(list, stdin));
        }
        if (named.isEmpty()) {
            throw new IllegalArgumentException("no input: name image files or directories, or a list file with --files-from");
        }
        List<Path> files = new ArrayList<>();
        for (Path p : named) {
            if (Files.isDirectory(p)) {
                files.addAll(imagesUnder(p));
            } else {
                files.add(p);
            }
        }
        return files;
    }

    /** The image files under {@code dir}, recursively, sorted by path; hidden files and folders skipped. */
    public static List<Path> imagesUnder(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !p.equals(dir) && !hiddenBelow(dir, p))
                    .filter(Files::isRegularFile)
                    .filter(InputFiles::hasImageExtension)
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("directory " + dir + " cannot be listed: " + e.getMessage(), e);
        }
    }

    static boolean hasImageExtension(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean hiddenBelow(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static List<Path> readList(String list, InputStream stdin) {
        try {
            BufferedReader reader = "-".equals(list)
                    ? new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))
                    : Files.newBufferedReader(Path.of(list), StandardCharsets.UTF_8);
            List<Path> paths = new ArrayList<>();
            // Standard input is not ours to close; a list file is.
            try (BufferedReader r = "-".equals(list) ? null : reader) {
                String line;
                while ((line = reader.readLine()) != null) {
                    String path = line.strip();
                    if (!path.isEmpty() && !path.startsWith("#")) {
                        paths.add(Path.of(path));
                    }
                }
            }
            return paths;
        } catch (IOException e) {
            throw new IllegalArgumentException("--files-from " + list + ": cannot be read: " + e.getMessage(), e);
        }
    }
}
