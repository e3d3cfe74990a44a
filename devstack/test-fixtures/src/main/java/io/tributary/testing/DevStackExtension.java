package io.tributary.testing;

import io.tributary.devstack.StackConfig;
import io.tributary.devstack.stack.Stack;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives integration tests a running local stack: started once per test JVM on the first test that
 * asks for it, shared by every test class, and stopped when the JVM's tests are done. Ports are
 * picked free at start, so tests run beside a `tributary up` stack. Tests isolate their data with
 * the fresh names of {@link DevStack}.
 *
 * <p>System properties: {@code tributary.it.dir} (data dir, wiped at start; failsafe sets it under
 * target/) and {@code tributary.it.plugin.dirs} (comma-separated extra Connect plugin dirs).
 *
 * <pre>{@code @ExtendWith(DevStackExtension.class) class MyIT { @Test void t(DevStack stack) { ... } }}</pre>
 */
public final class DevStackExtension implements ParameterResolver {
    private static final Logger LOG = LoggerFactory.getLogger(DevStackExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DevStackExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DevStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(DevStack.class, k -> start(), DevStack.class);
    }

    private static DevStack start() {
        Path dir = Path.of(System.getProperty("tributary.it.dir", "target/it-stack")).toAbsolutePath();
        TestDirs.delete(dir);
        List<Path> pluginDirs = Arrays.stream(System.getProperty("tributary.it.plugin.dirs", "").split(","))
                .filter(s -> !s.isBlank()).map(Path::of).toList();
        StackConfig config = FreePorts.stack(dir).withExtraPluginDirs(pluginDirs);
        Stack stack = new Stack(config, LOG::info);
        stack.start();
        return new DevStack(stack);
    }
}
