package io.tributary.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Renders a {@link ConfigDef} as a Markdown reference, grouped as the ConfigDef groups its keys
 * (keys without a group come first). Each module's committed reference is this output, and a test
 * there fails when it is stale.
 */
public final class ConfigReference {
    private ConfigReference() {
    }

    public static String markdown(String title, ConfigDef def) {
        Map<String, List<ConfigKey>> groups = new LinkedHashMap<>();
        def.configKeys().values().stream()
                .sorted(java.util.Comparator.comparing((ConfigKey k) -> k.group == null ? -1 : def.groups().indexOf(k.group))
                        .thenComparingInt(k -> k.orderInGroup))
                .forEach(k -> groups.computeIfAbsent(k.group == null ? "Settings" : k.group, g -> new java.util.ArrayList<>()).add(k));
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n")
                .append("Generated from the `ConfigDef` in the code; do not edit by hand.\n");
        groups.forEach((group, keys) -> {
            md.append("\n## ").append(group).append("\n\n")
                    .append("| key | type | default | valid values | importance | description |\n")
                    .append("| --- | --- | --- | --- | --- | --- |\n");
            for (ConfigKey k : keys) {
                md.append("| `").append(k.name).append("` | ").append(k.type.name().toLowerCase(java.util.Locale.ROOT))
                        .append(" | ").append(defaultValue(k))
                        .append(" | ").append(k.validator == null ? "" : cell(k.validator.toString()))
                        .append(" | ").append(k.importance.name().toLowerCase(java.util.Locale.ROOT))
                        .append(" | ").append(cell(k.documentation)).append(" |\n");
            }
        });
        return md.toString();
    }

    private static String defaultValue(ConfigKey k) {
        if (!k.hasDefault()) {
            return "(required)";
        }
        String v = ConfigDef.convertToString(k.defaultValue, k.type);
        return v == null || v.isEmpty() ? "\"\"" : "`" + v + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
