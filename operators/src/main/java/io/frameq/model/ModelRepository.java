package io.frameq.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds models laid out Triton-style: {@code <root>/<name>/model.json} plus
 * {@code <root>/<name>/<version>/<file>}. Roots are user directories, searched in the order given,
 * then (optionally) the models bundled in the {@code frameq-models} jar under the classpath prefix
 * {@value #BUNDLED_PREFIX} — from a jar or from a directory on the classpath alike.
 *
 * <p>A name found in an earlier root overrides the same name in later roots: {@link #resolve(String)}
 * and {@link #list()} see only the first. {@link #resolve(String, int)} searches every root, so a
 * pinned version still finds a bundled model that a user directory shadows with another version.
 *
 * <p>Every {@code model.json} is parsed when the repository is built. A broken one does not stop
 * the others: it is logged at WARN, left out of {@link #list()}, and its {@link ModelLoadException}
 * is thrown when that name is resolved. The ONNX file is read and its sha256 checked only at load
 * ({@link #onnxBytes(ModelDescriptor)}, or when {@code io.frameq.onnx.OnnxModel} opens it).
 *
 * <pre>{@code
 * ModelRepository repo = ModelRepository.of(List.of(Path.of("/etc/frameq/models")), true);
 * ModelDescriptor maniqa = repo.resolve("maniqa-lite");
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ModelRepository {

    /** Classpath folder of the bundled models. */
    public static final String BUNDLED_PREFIX = "frameq/models";

    private static final Logger LOG = LoggerFactory.getLogger(ModelRepository.class);
    private static final String MODEL_JSON = "model.json";

    /** One model folder in one root: a descriptor, or the error that prevented it. */
    private record Entry(String name, String root, ModelDescriptor descriptor, ModelLoadException error) {}

    private final List<String> roots;
    private final Map<String, List<Entry>> byName; // name -> entries in root order

    private ModelRepository(List<String> roots, List<Entry> entries) {
        this.roots = List.copyOf(roots);
        Map<String, List<Entry>> m = new TreeMap<>();
        for (Entry e : entries) {
            m.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(e);
        }
        m.replaceAll((k, v) -> List.copyOf(v));
        this.byName = Collections.unmodifiableMap(m);
    }

    /** The models bundled in {@code frameq-models}, found through this class's class loader. */
    public static ModelRepository bundled() {
        return of(List.of(), bundledLoader());
    }

    /** The models under {@value #BUNDLED_PREFIX} visible to {@code loader}. */
    public static ModelRepository bundled(ClassLoader loader) {
        return of(List.of(), loader);
    }

    /**
     * User directories, in priority order, then the bundled models when {@code includeBundled}.
     *
     * @throws IllegalArgumentException when a directory does not exist
     */
    public static ModelRepository of(List<Path> dirs, boolean includeBundled) {
        return of(dirs, includeBundled ? bundledLoader() : null);
    }

    /** Like {@link #of(List, boolean)} with bundled models taken from {@code bundledFrom} (null: none). */
    public static ModelRepository of(List<Path> dirs, ClassLoader bundledFrom) {
        List<String> roots = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("model repository directory " + dir.toAbsolutePath() + " does not exist or is not a directory");
            }
            String root = dir.toAbsolutePath().normalize().toString();
            roots.add(root);
            scanDirectory(dir, root, entries);
        }
        if (bundledFrom != null) {
            String root = "classpath:" + BUNDLED_PREFIX;
            roots.add(root);
            scanClasspath(bundledFrom, root, entries);
        }
        ModelRepository repo = new ModelRepository(roots, entries);
        LOG.debug("model repository {}: {}", roots, repo.byName.keySet());
        return repo;
    }

    /** The roots searched, in priority order ({@code classpath:frameq/models} for bundled models). */
    public List<String> roots() {
        return roots;
    }

    /** The winning descriptor of every usable model name, sorted by name. */
    public List<ModelDescriptor> list() {
        List<ModelDescriptor> out = new ArrayList<>();
        for (List<Entry> es : byName.values()) {
            es.stream().filter(e -> e.descriptor() != null).findFirst().ifPresent(e -> out.add(e.descriptor()));
        }
        return List.copyOf(out);
    }

    /**
     * The model called {@code name} from the first root that has it.
     *
     * @throws ModelNotFoundException when no root has it; the message lists the available names
     * @throws ModelLoadException when the first root's {@code model.json} for it is broken
     */
    public ModelDescriptor resolve(String name) {
        List<Entry> es = byName.get(name);
        if (es == null) {
            throw new ModelNotFoundException(name, "not found in " + roots + "; available: " + available());
        }
        Entry first = es.get(0);
        if (first.error() != null) {
            throw first.error();
        }
        return first.descriptor();
    }

    /**
     * The model {@code name} at exactly {@code version}, from the first root that has that version.
     *
     * @throws ModelNotFoundException when no root has it; the message lists the versions that exist
     */
    public ModelDescriptor resolve(String name, int version) {
        List<Entry> es = byName.get(name);
        if (es == null) {
            throw new ModelNotFoundException(name, "not found in " + roots + "; available: " + available());
        }
        Set<Integer> versions = new LinkedHashSet<>();
        for (Entry e : es) {
            if (e.descriptor() != null) {
                if (e.descriptor().version() == version) {
                    return e.descriptor();
                }
                versions.add(e.descriptor().version());
            }
        }
        if (versions.isEmpty()) {
            throw es.get(0).error();
        }
        throw new ModelNotFoundException(name, "version " + version + " not found in " + roots + "; available versions: " + versions);
    }

    /** The ONNX bytes of {@code descriptor}, sha256-checked (see {@link ModelDescriptor#readOnnx()}). */
    public byte[] onnxBytes(ModelDescriptor descriptor) {
        return descriptor.readOnnx();
    }

    @Override
    public String toString() {
        return "ModelRepository" + roots + available();
    }

    private List<String> available() {
        List<String> names = new ArrayList<>();
        byName.forEach((name, es) -> {
            Entry first = es.get(0);
            names.add(first.descriptor() != null ? name + " v" + first.descriptor().version() : name + " (broken)");
        });
        return names;
    }

    // ------------------------------------------------------------------ scanning

    private static ClassLoader bundledLoader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : ModelRepository.class.getClassLoader();
    }

    private static void scanDirectory(Path dir, String root, List<Entry> out) {
        List<Path> folders;
        try (Stream<Path> s = Files.list(dir)) {
            folders = s.filter(p -> Files.isRegularFile(p.resolve(MODEL_JSON)))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list model repository " + dir, e);
        }
        for (Path folder : folders) {
            Path json = folder.resolve(MODEL_JSON);
            String name = folder.getFileName().toString();
            String text;
            try {
                text = Files.readString(json, StandardCharsets.UTF_8);
            } catch (IOException e) {
                out.add(broken(name, root, new ModelLoadException(name, "cannot read " + json + ": " + e, e)));
                continue;
            }
            out.add(entry(name, root, text, json.toAbsolutePath().toUri()));
        }
    }

    private static void scanClasspath(ClassLoader loader, String root, List<Entry> out) {
        Map<String, URI> jsons = new LinkedHashMap<>(); // folder name -> model.json URI; first on the classpath wins
        try {
            Enumeration<URL> urls = loader.getResources(BUNDLED_PREFIX);
            while (urls.hasMoreElements()) {
                URL url = urls.nextElement();
                switch (url.getProtocol()) {
                    case "file" -> listDirectoryResource(url, jsons);
                    case "jar" -> listJarResource(url, jsons);
                    default -> LOG.warn("bundled models at {}: protocol '{}' is not supported, skipped", url, url.getProtocol());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list bundled models under classpath " + BUNDLED_PREFIX, e);
        }
        for (Map.Entry<String, URI> e : jsons.entrySet()) {
            String name = e.getKey();
            String text;
            try {
                URLConnection conn = e.getValue().toURL().openConnection();
                conn.setUseCaches(false);
                try (var in = conn.getInputStream()) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } catch (IOException ex) {
                out.add(broken(name, root, new ModelLoadException(name, "cannot read " + e.getValue() + ": " + ex, ex)));
                continue;
            }
            out.add(entry(name, root, text, e.getValue()));
        }
    }

    private static void listDirectoryResource(URL url, Map<String, URI> jsons) throws IOException {
        Path dir;
        try {
            dir = Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IOException("bad classpath URL " + url, e);
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> Files.isRegularFile(p.resolve(MODEL_JSON)))
                    .sorted()
                    .forEach(p -> jsons.putIfAbsent(p.getFileName().toString(), p.resolve(MODEL_JSON).toUri()));
        }
    }

    private static void listJarResource(URL url, Map<String, URI> jsons) throws IOException {
        String s = url.toString();
        int bang = s.indexOf("!/");
        if (bang < 0) {
            throw new IOException("bad jar URL " + url);
        }
        String jarPart = s.substring(0, bang + 2); // jar:file:/x.jar!/
        URLConnection conn = url.openConnection();
        conn.setUseCaches(false);
        if (!(conn instanceof JarURLConnection jc)) {
            throw new IOException("not a jar URL " + url);
        }
        String prefix = BUNDLED_PREFIX + "/";
        List<String> found = new ArrayList<>();
        try (JarFile jar = jc.getJarFile()) {
            for (Enumeration<JarEntry> en = jar.entries(); en.hasMoreElements(); ) {
                String entry = en.nextElement().getName();
                if (entry.startsWith(prefix) && entry.endsWith("/" + MODEL_JSON)) {
                    String rest = entry.substring(prefix.length(), entry.length() - MODEL_JSON.length() - 1);
                    if (!rest.isEmpty() && rest.indexOf('/') < 0) {
                        found.add(entry);
                    }
                }
            }
        }
        Collections.sort(found);
        for (String entry : found) {
            String folder = entry.substring(prefix.length(), entry.length() - MODEL_JSON.length() - 1);
            jsons.putIfAbsent(folder, URI.create(jarPart + entry));
        }
    }

    private static Entry entry(String folder, String root, String json, URI source) {
        try {
            ModelDescriptor d = ModelDescriptorParser.parse(json, source);
            if (!d.name().equals(folder)) {
                throw new ModelLoadException(folder, "name", "\"" + folder + "\" (the folder name)", "\"" + d.name() + "\"");
            }
            return new Entry(folder, root, d, null);
        } catch (ModelLoadException e) {
            return broken(folder, root, e);
        }
    }

    private static Entry broken(String name, String root, ModelLoadException e) {
        LOG.warn("model '{}' in {} is unusable: {}", name, root, e.getMessage());
        return new Entry(name, root, null, e);
    }
}
