package io.tributary.dev;

import io.tributary.cli.CliExtension;
import io.tributary.cli.common.Settings;
import io.tributary.cli.common.TributaryHome;
import io.tributary.dev.bench.BenchCommand;
import io.tributary.dev.demo.DemoCommand;
import io.tributary.dev.reliability.SoakCommand;
import io.tributary.dev.stack.DownCommand;
import io.tributary.dev.stack.LocalStackSettings;
import io.tributary.dev.stack.StatusCommand;
import io.tributary.dev.stack.UpCommand;
import io.tributary.devstack.StackException;
import java.nio.file.Path;
import java.util.List;

/**
 * What ./tributary adds to the production commands: the local stack's commands, and its endpoints as
 * their defaults while a stack runs in the data dir ({@code TRIBUTARY_DATA_DIR}, else {@code .tributary}
 * in the repository).
 */
public final class DevExtension implements CliExtension {
    @Override
    public List<Object> commands() {
        return List.of(DemoCommand.class, UpCommand.class, StatusCommand.class, DownCommand.class, SoakCommand.class,
                BenchCommand.class);
    }

    @Override
    public Settings settings() {
        String dir = System.getenv("TRIBUTARY_DATA_DIR");
        return LocalStackSettings.running(dir != null && !dir.isBlank() ? Path.of(dir) : TributaryHome.dataDir());
    }

    @Override
    public List<Class<? extends Exception>> expectedErrors() {
        return List.of(StackException.class);
    }
}
