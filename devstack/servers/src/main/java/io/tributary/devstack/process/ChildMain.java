package io.tributary.devstack.process;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every dev-stack child JVM: runs the real server's {@code main} and exits as soon as
 * the parent (the stack orchestrator) is gone, so that a killed orchestrator or test JVM never
 * leaves servers behind holding ports. {@code System.exit} runs the server's shutdown hooks, so
 * the server still stops cleanly.
 *
 * <p>Usage: {@code java -Dtributary.parent.pid=PID io.tributary.devstack.process.ChildMain MAIN [ARGS...]}
 */
public final class ChildMain {
    static final String PARENT_PID_PROPERTY = "tributary.parent.pid";

    private ChildMain() {
    }

    public static void main(String[] args) throws Exception {
        String parentPid = System.getProperty(PARENT_PID_PROPERTY);
        if (parentPid != null) {
            watchParent(Long.parseLong(parentPid));
        }
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }

    private static void watchParent(long pid) {
        Thread watchdog = new Thread(() -> {
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("[tributary] parent process " + pid + " is gone; shutting down");
            System.exit(0);
        }, "tributary-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
