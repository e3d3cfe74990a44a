package io.tributary.schemas.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * How every Tributary service reads its settings: a properties file (optional), then for each key
 * the environment variable {@code TRIBUTARY_<KEY>} (upper case, dots and dashes as underscores), which
 * wins. Secrets come only through the environment, so files in the repository hold none.
 */
public final class ConfigFiles {
    private ConfigFiles() {
    }

    /**
     * The file's settings with environment overrides of the {@code defined} keys and of the file's own;
     * {@code file} may be null.
     */
    public static Map<String, Object> load(Path file, Map<String, String> env, Collection<String> defined) throws IOException {
        Map<String, Object> props = new HashMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            p.forEach((k, v) -> props.put(k.toString(), v.toString().trim()));
        }
        Set<String> known = new LinkedHashSet<>(defined);
        known.addAll(props.keySet());
        for (String key : known) {
            String override = env.get(envName(key));
            if (override != null) {
                props.put(key, override);
            }
        }
        return props;
    }

    /** The environment variable that overrides a key: TRIBUTARY_ + key upper-cased, . and - as _. */
    public static String envName(String key) {
        return "TRIBUTARY_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
