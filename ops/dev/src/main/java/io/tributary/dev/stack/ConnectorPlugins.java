package io.tributary.dev.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/** This project's Connect plugin dir, as the build located it, for the local stack's plugin.path. */
final class ConnectorPlugins {
    private ConnectorPlugins() {
    }

    static List<Path> dirs() {
        Properties props = new Properties();
        try (InputStream in = ConnectorPlugins.class.getResourceAsStream("/tributary-ops.properties")) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.of(Path.of(props.getProperty("connectors.plugin.dir")).normalize());
    }
}
