package io.tributary.cli.common;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The default of every option that names its setting in {@code descriptionKey} (e.g.
 * {@code @Option(names = "--connect-url", descriptionKey = "TRIBUTARY_CONNECT_URL")}) comes from
 * {@link Settings}; other options keep their annotated default.
 */
public final class SettingDefaults implements IDefaultValueProvider {
    private final Settings settings;

    public SettingDefaults(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec option && !option.descriptionKey().isEmpty()) {
            return settings.get(option.descriptionKey());
        }
        return null;
    }

    /** The settings of the command line a command runs in. */
    public static Settings of(picocli.CommandLine.Model.CommandSpec spec) {
        return spec.root().defaultValueProvider() instanceof SettingDefaults d ? d.settings() : Settings.environment();
    }

    /** A required setting: the flag's value, else an error naming the flag and its variable. */
    public static String require(String value, String flag, String variable) {
        if (value == null || value.isBlank()) {
            throw new CliError(flag + " is required: pass it, or set " + variable
                    + " (./tributary takes it from the running local stack: ./tributary up --detach)");
        }
        return value;
    }
}
