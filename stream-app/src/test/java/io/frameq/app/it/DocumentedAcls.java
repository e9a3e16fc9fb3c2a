package io.frameq.app.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.frameq.app.config.FrameqConfig;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACL table of {@code deploy/SECURITY.md}, read as data: the ITs grant a principal exactly the rows that
 * apply to their configuration, so the document and what is proven to suffice cannot drift apart.
 *
 * <p>A row is {@code | `TYPE` | `PATTERN` | names | `OP`, `OP` | when |}; a name is a literal in backticks or
 * {@code <config.key>} (a list key gives one resource per element) with an optional suffix, e.g.
 * {@code `<application.id>-`}; "when" is {@code always}, {@code optional} or {@code `key=value`}.
 */
final class DocumentedAcls {

    private static final Pattern ROW = Pattern.compile("^\\|\\s*`(TOPIC|GROUP|CLUSTER|TRANSACTIONAL_ID)`\\s*\\|(.*)$");
    private static final Pattern TICKED = Pattern.compile("`([^`]+)`");
    private static final Pattern PLACEHOLDER = Pattern.compile("<([a-z.]+)>(.*)");

    private DocumentedAcls() {
    }

    /** The table's rows that apply to {@code config}, as ALLOW bindings for {@code principal} from any host. */
    static List<AclBinding> forConfig(String principal, Map<String, String> properties) {
        Map<String, String> config = effective(properties);
        List<AclBinding> acls = new ArrayList<>();
        for (String line : lines()) {
            Matcher m = ROW.matcher(line.trim());
            if (!m.matches()) {
                continue;
            }
            String[] cells = m.group(2).split("\\|");
            if (cells.length < 4) {
                throw new IllegalStateException("deploy/SECURITY.md: ACL row with fewer than 5 cells: " + line);
            }
            if (!applies(cells[3].trim(), config)) {
                continue;
            }
            ResourceType type = ResourceType.valueOf(m.group(1));
            PatternType pattern = PatternType.valueOf(ticked(cells[0]).get(0));
            List<AclOperation> ops = ticked(cells[2]).stream().map(o -> AclOperation.valueOf(o.toUpperCase(Locale.ROOT))).toList();
            for (String name : names(ticked(cells[1]), config)) {
                for (AclOperation op : ops) {
                    acls.add(new AclBinding(new ResourcePattern(type, name, pattern),
                            new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
                }
            }
        }
        if (acls.isEmpty()) {
            throw new IllegalStateException("deploy/SECURITY.md: no ACL rows found");
        }
        return acls;
    }

    /** Every FrameQ key's effective value (defaults included), lists comma separated. */
    private static Map<String, String> effective(Map<String, String> properties) {
        Map<String, String> m = new HashMap<>();
        FrameqConfig.of(properties).values().forEach((k, v) -> {
            if (v instanceof List<?> list) {
                m.put(k, String.join(",", list.stream().map(String::valueOf).toList()));
            } else if (v != null) {
                m.put(k, String.valueOf(v));
            }
        });
        return m;
    }

    private static boolean applies(String when, Map<String, String> config) {
        if (when.startsWith("always")) {
            return true;
        }
        if (when.startsWith("optional")) {
            return false;
        }
        List<String> conditions = ticked(when);
        if (conditions.isEmpty()) {
            throw new IllegalStateException("deploy/SECURITY.md: ACL row condition not understood: " + when);
        }
        String c = conditions.get(0);
        if (when.startsWith("with ")) { // "with `key`": the key is set (not empty)
            String v = config.get(c);
            return v != null && !v.isBlank();
        }
        if (!c.contains("=")) {
            throw new IllegalStateException("deploy/SECURITY.md: ACL row condition not understood: " + when);
        }
        String[] kv = c.split("=", 2);
        return kv[1].equals(config.get(kv[0]));
    }

    private static List<String> names(List<String> specs, Map<String, String> config) {
        List<String> names = new ArrayList<>();
        if (specs.size() > 1 && specs.get(0).equals("<" + FrameqConfig.INPUT_PATTERN + ">")) {
            // "the literal start of <input.pattern>, e.g. ...": the example is prose, the prefix comes from the pattern.
            names.add(literalStart(config.get(FrameqConfig.INPUT_PATTERN)));
            return names;
        }
        for (String spec : specs) {
            Matcher p = PLACEHOLDER.matcher(spec);
            if (!p.matches()) {
                names.add(spec);
                continue;
            }
            String value = config.get(p.group(1));
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("ACL row names <" + p.group(1) + ">, which the test's configuration does not set");
            }
            for (String v : value.split(",")) {
                names.add(v.trim() + p.group(2));
            }
        }
        return names;
    }

    /** The text every match of {@code regex} starts with: up to its first unescaped metacharacter, {@code \.} read as a dot. */
    static String literalStart(String regex) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < regex.length()) {
            char ch = regex.charAt(i);
            if (ch == '\\' && i + 1 < regex.length() && ".-_".indexOf(regex.charAt(i + 1)) >= 0) {
                sb.append(regex.charAt(i + 1));
                i += 2;
            } else if (Character.isLetterOrDigit(ch) || ch == '-' || ch == '_') {
                sb.append(ch);
                i++;
            } else {
                break;
            }
        }
        // A quantifier right after the last literal character makes that character optional or repeated.
        if (i < regex.length() && "?*{".indexOf(regex.charAt(i)) >= 0 && sb.length() > 0) {
            sb.setLength(sb.length() - 1);
        }
        if (sb.length() == 0 || regex.contains("|")) {
            throw new IllegalStateException("input.pattern '" + regex + "' has no single literal start: a PREFIXED ACL cannot cover it");
        }
        return sb.toString();
    }

    private static List<String> ticked(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = TICKED.matcher(cell);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static List<String> lines() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path doc = p.resolve("deploy/SECURITY.md");
            if (Files.isRegularFile(doc)) {
                try {
                    return Files.readAllLines(doc);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("deploy/SECURITY.md not found above " + Path.of("").toAbsolutePath());
    }
}
