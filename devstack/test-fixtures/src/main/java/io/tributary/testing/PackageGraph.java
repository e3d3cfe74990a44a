package io.tributary.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which package of one source tree uses which, read from the source text: imports (static and
 * nested ones too) and fully qualified names in code. Comments and literals are left out, so a
 * {@code {@link}} or a class name in a string is no dependency. The layering tests use it to keep
 * every module free of package cycles.
 */
public final class PackageGraph {
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+?)(?:\\.\\*)?\\s*;",
            Pattern.MULTILINE);

    /** One use of a package by another, with a file that shows it. */
    public record Use(String from, String to, Path file) {
    }

    private final Map<String, Map<String, Path>> uses = new TreeMap<>();

    private PackageGraph() {
    }

    /** The graph of the packages under {@code basePackage} in the {@code .java} files below {@code sourceRoot}. */
    public static PackageGraph of(Path sourceRoot, String basePackage) throws IOException {
        PackageGraph graph = new PackageGraph();
        Pattern qualified = Pattern.compile("\\b(" + Pattern.quote(basePackage) + "(?:\\.\\w+)*)");
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String code = codeOnly(Files.readString(file));
                Matcher pkg = PACKAGE.matcher(code);
                if (!pkg.find()) {
                    continue;
                }
                String from = pkg.group(1);
                graph.uses.computeIfAbsent(from, p -> new TreeMap<>());
                Matcher imports = IMPORT.matcher(code);
                while (imports.find()) {
                    graph.add(from, packageOf(imports.group(1)), basePackage, file);
                }
                Matcher names = qualified.matcher(PACKAGE.matcher(IMPORT.matcher(code).replaceAll("")).replaceAll(""));
                while (names.find()) {
                    graph.add(from, packageOf(names.group(1)), basePackage, file);
                }
            }
        }
        return graph;
    }

    /** Reads a source tree that must exist; for tests, where an I/O error is a failure like any other. */
    public static PackageGraph read(Path sourceRoot, String basePackage) {
        try {
            return of(sourceRoot, basePackage);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void add(String from, String to, String basePackage, Path file) {
        if (!to.equals(from) && (to.equals(basePackage) || to.startsWith(basePackage + "."))) {
            uses.get(from).putIfAbsent(to, file);
        }
    }

    /** The package of a qualified name: its segments up to the first that starts with a capital (a class). */
    static String packageOf(String name) {
        List<String> parts = new ArrayList<>();
        for (String part : name.split("\\.")) {
            if (!part.isEmpty() && Character.isUpperCase(part.charAt(0))) {
                break;
            }
            parts.add(part);
        }
        return String.join(".", parts);
    }

    /** The packages that {@code pkg} uses. */
    public TreeSet<String> uses(String pkg) {
        return new TreeSet<>(uses.getOrDefault(pkg, Map.of()).keySet());
    }

    /**
     * Every package cycle, as the uses that form it: the strongly connected components of more than
     * one package (Tarjan), each with the uses between its packages. Empty when the graph is layered.
     */
    public List<List<Use>> cycles() {
        Tarjan tarjan = new Tarjan();
        uses.keySet().forEach(p -> {
            if (!tarjan.index.containsKey(p)) {
                tarjan.visit(p);
            }
        });
        List<List<Use>> cycles = new ArrayList<>();
        for (TreeSet<String> component : tarjan.components) {
            if (component.size() > 1) {
                List<Use> inside = new ArrayList<>();
                component.forEach(from -> uses.get(from).forEach((to, file) -> {
                    if (component.contains(to)) {
                        inside.add(new Use(from, to, file));
                    }
                }));
                cycles.add(inside);
            }
        }
        cycles.sort(Comparator.comparing(c -> c.get(0).from()));
        return cycles;
    }

    /** Tarjan's strongly connected components, recursive: package graphs are shallow. */
    private final class Tarjan {
        final Map<String, Integer> index = new HashMap<>();
        final Map<String, Integer> low = new HashMap<>();
        final Deque<String> stack = new ArrayDeque<>();
        final List<TreeSet<String>> components = new ArrayList<>();

        void visit(String pkg) {
            index.put(pkg, index.size());
            low.put(pkg, index.get(pkg));
            stack.push(pkg);
            for (String next : uses.getOrDefault(pkg, Map.of()).keySet()) {
                if (!index.containsKey(next)) {
                    visit(next);
                    low.put(pkg, Math.min(low.get(pkg), low.get(next)));
                } else if (stack.contains(next)) {
                    low.put(pkg, Math.min(low.get(pkg), index.get(next)));
                }
            }
            if (low.get(pkg).equals(index.get(pkg))) {
                TreeSet<String> component = new TreeSet<>();
                String member;
                do {
                    member = stack.pop();
                    component.add(member);
                } while (!member.equals(pkg));
                components.add(component);
            }
        }
    }

    /** The source without comments, string, text-block and char literals (each replaced by a space). */
    static String codeOnly(String source) {
        StringBuilder code = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                i = skipTo(source, "\n", i + 2) - 1;
            } else if (source.startsWith("/*", i)) {
                i = skipTo(source, "*/", i + 2) + 1;
            } else if (source.startsWith("\"\"\"", i)) {
                i = skipTo(source, "\"\"\"", i + 3) + 2;
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < n && source.charAt(i) != c) {
                    i += source.charAt(i) == '\\' ? 2 : 1;
                }
            } else {
                code.append(c);
                i++;
                continue;
            }
            code.append(' ');
            i++;
        }
        return code.toString();
    }

    /** The index of the first character of {@code end} at or after {@code from}, or the end of the text. */
    private static int skipTo(String source, String end, int from) {
        int at = source.indexOf(end, from);
        return at < 0 ? source.length() : at;
    }
}
