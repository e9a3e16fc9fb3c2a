package io.frameq.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The import lines of a source tree, for package rules checked without a bytecode tool: a rule is
 * "sources in these packages must not import that", and a broken rule names the file, the line and
 * the import. Imports are all a Java file can use across packages besides fully qualified names,
 * which {@link #qualifiedUses} finds for the prefixes a rule forbids.
 */
public final class SourceImports {

    /** One import (or fully qualified use) in one file. */
    public record Use(Path file, int line, String packageName, String imported) {
        @Override
        public String toString() {
            return file + ":" + line + " (package " + packageName + ") uses " + imported;
        }
    }

    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.*]+)\\s*;");

    private final List<Use> imports;
    private final List<Path> files;
    private final Path root;

    private SourceImports(Path root, List<Path> files, List<Use> imports) {
        this.root = root;
        this.files = files;
        this.imports = imports;
    }

    /** Reads every {@code .java} file under {@code root}; fails when there are none (a wrong path must not pass). */
    public static SourceImports of(Path root) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sources under " + root.toAbsolutePath(), e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no Java sources under " + root.toAbsolutePath());
        }
        List<Use> imports = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = lines(file);
            String pkg = packageOf(lines);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = IMPORT.matcher(lines.get(i).strip());
                if (m.find()) {
                    imports.add(new Use(root.relativize(file), i + 1, pkg, m.group(1)));
                }
            }
        }
        return new SourceImports(root, files, List.copyOf(imports));
    }

    /** Imports of {@code forbiddenPrefix} by files whose package does not pass {@code allowedIn}. */
    public List<Use> violations(String forbiddenPrefix, Predicate<String> allowedIn) {
        List<Use> out = new ArrayList<>();
        for (Use use : imports) {
            if (use.imported().startsWith(forbiddenPrefix) && !allowedIn.test(use.packageName())) {
                out.add(use);
            }
        }
        out.addAll(qualifiedUses(forbiddenPrefix, allowedIn));
        return out;
    }

    /** Fully qualified uses ({@code ai.onnxruntime.OrtSession x}) outside imports and comments, which an import rule would miss. */
    private List<Use> qualifiedUses(String forbiddenPrefix, Predicate<String> allowedIn) {
        Pattern qualified = Pattern.compile("(?<![\\w.])" + Pattern.quote(forbiddenPrefix) + "[\\w.]*");
        List<Use> out = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = lines(file);
            String pkg = packageOf(lines);
            if (allowedIn.test(pkg)) {
                continue;
            }
            for (int i = 0; i < lines.size(); i++) {
                String code = lines.get(i).strip();
                if (code.startsWith("import ") || code.startsWith("package ") || code.startsWith("*") || code.startsWith("/*")
                        || code.startsWith("//")) {
                    continue;
                }
                Matcher m = qualified.matcher(code);
                if (m.find()) {
                    out.add(new Use(root.relativize(file), i + 1, pkg, m.group()));
                }
            }
        }
        return out;
    }

    /** A failure message listing every violation, one per line, or null when there is none. */
    public static String report(String rule, List<Use> violations) {
        if (violations.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder("Package rule broken: ").append(rule);
        violations.forEach(v -> b.append("\n  ").append(v));
        return b.toString();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String packageOf(List<String> lines) {
        for (String line : lines) {
            Matcher m = PACKAGE.matcher(line.strip());
            if (m.find()) {
                return m.group(1);
            }
        }
        return "";
    }
}
