package io.tributary.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * NOTICE, generated from what the distributions bundle: each module's runtime dependency list, and
 * for each dependency the licences its POM declares (or its nearest parent POM's), read from the
 * local Maven repository. Licences a POM does not declare come from {@code licenses-overrides.properties}
 * beside this module's pom, each with where it was looked up.
 */
final class NoticeFile {
    /** A bundled third-party artifact: its coordinates and the jar file name it has in lib/. */
    record Artifact(String group, String artifact, String classifier, String version) implements Comparable<Artifact> {
        String coordinates() {
            return group + ":" + artifact + ":" + version;
        }

        String jarName() {
            return artifact + "-" + version + (classifier.isEmpty() ? "" : "-" + classifier) + ".jar";
        }

        boolean ours() {
            return group.equals("io.tributary");
        }

        @Override
        public int compareTo(Artifact o) {
            return coordinates().compareTo(o.coordinates());
        }
    }

    private final Path repository;
    private final Properties overrides;

    NoticeFile(Path repository, Path overridesFile) {
        this.repository = repository;
        this.overrides = new Properties();
        try (var in = Files.newBufferedReader(overridesFile)) {
            overrides.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The artifacts of a dependency list written by maven-dependency-plugin's list goal. */
    static List<Artifact> bundled(Path dependencyList) {
        List<Artifact> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(dependencyList)) {
                String coordinates = line.trim().split(" ")[0];
                String[] p = coordinates.split(":");
                if (p.length == 5) {
                    out.add(new Artifact(p[0], p[1], "", p[3]));
                } else if (p.length == 6) {
                    out.add(new Artifact(p[0], p[1], p[3], p[4]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + dependencyList + "; build the module first (mvn -B package)", e);
        }
        return out;
    }

    /** The NOTICE text for these artifacts: each third-party artifact under its licence(s). */
    String render(Set<Artifact> artifacts) {
        Map<String, Set<String>> byLicence = new TreeMap<>();
        List<String> undeclared = new ArrayList<>();
        for (Artifact a : new TreeSet<>(artifacts)) {
            if (!a.ours()) {
                List<String> licences = licences(a);
                if (licences.isEmpty()) {
                    undeclared.add(a.group() + ":" + a.artifact());
                }
                byLicence.computeIfAbsent(String.join(" OR ", licences), k -> new TreeSet<>()).add(a.coordinates());
            }
        }
        if (!undeclared.isEmpty()) {
            throw new IllegalStateException("These bundled artifacts and their parent POMs declare no licence: " + undeclared
                    + "; look each up and add it to ops/dist/licenses-overrides.properties as group\\:artifact=<licence> (<where>)");
        }
        StringBuilder text = new StringBuilder("""
                Tributary
                Copyright the Tributary authors.

                Tributary is licensed under the Apache License, Version 2.0 (see LICENSE).

                Its binary distributions (the streams app, the CLI and the Kafka Connect plugin) bundle the
                third-party libraries below, each under its own licence as its Maven POM declares it. This
                list is generated from the modules' runtime dependencies by NoticeTest (ops/dist), which
                fails when it is stale.
                """);
        byLicence.forEach((licence, coordinates) -> {
            text.append('\n').append(licence).append(":\n");
            coordinates.forEach(c -> text.append("  ").append(c).append('\n'));
        });
        return text.toString();
    }

    /** The licences of an artifact: the overrides file's, else its POM's, else its parents'; none if none declares one. */
    List<String> licences(Artifact a) {
        String override = overrides.getProperty(a.group() + ":" + a.artifact());
        if (override != null) {
            return List.of(override.split(" \\(")[0].trim());
        }
        String group = a.group();
        String artifact = a.artifact();
        String version = a.version();
        for (int depth = 0; depth < 10; depth++) {
            Element pom = pom(group, artifact, version);
            List<String> names = new ArrayList<>();
            NodeList licences = pom.getElementsByTagName("license");
            for (int i = 0; i < licences.getLength(); i++) {
                String name = child((Element) licences.item(i), "name");
                if (name != null) {
                    names.add(normalize(name));
                }
            }
            if (!names.isEmpty()) {
                return names.stream().distinct().toList();
            }
            Element parent = firstChild(pom, "parent");
            if (parent == null) {
                break;
            }
            group = child(parent, "groupId");
            artifact = child(parent, "artifactId");
            version = child(parent, "version");
        }
        return List.of();
    }

    /** One name per common licence, however POMs spell it. */
    static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
        if (n.contains("apache") && (n.contains("2.0") || n.contains("2"))) {
            return "Apache License 2.0";
        }
        if (n.equals("mit") || n.startsWith("mit license") || n.equals("the mit license") || n.contains("mit license")) {
            return "MIT License";
        }
        if (n.contains("bsd") && (n.contains("3") || n.contains("new") || n.contains("revised"))) {
            return "BSD 3-Clause License";
        }
        if (n.contains("bsd") && n.contains("2")) {
            return "BSD 2-Clause License";
        }
        if (n.contains("eclipse public license") && n.contains("2.0") || n.equals("epl-2.0") || n.equals("epl 2.0")) {
            return "Eclipse Public License 2.0";
        }
        if (n.contains("eclipse distribution license") || n.equals("edl 1.0")) {
            return "Eclipse Distribution License 1.0";
        }
        return name.replaceAll("\\s+", " ").trim();
    }

    private Element pom(String group, String artifact, String version) {
        Path file = repository.resolve(group.replace('.', '/')).resolve(artifact).resolve(version)
                .resolve(artifact + "-" + version + ".pom");
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
            factory.setExpandEntityReferences(false);
            Document doc = factory.newDocumentBuilder().parse(file.toFile());
            return doc.getDocumentElement();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the POM " + file + ": " + e.getMessage(), e);
        }
    }

    private static Element firstChild(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }

    private static String child(Element parent, String tag) {
        Element e = firstChild(parent, tag);
        return e == null ? null : e.getTextContent().trim();
    }
}
