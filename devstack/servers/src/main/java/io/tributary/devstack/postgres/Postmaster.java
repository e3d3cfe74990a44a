package io.tributary.devstack.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL server process of a data dir, found through its {@code postmaster.pid}. pg_ctl
 * starts it as a daemon, so it is no descendant of the JVM that launched it: a SIGKILL of that JVM
 * (a crash, a fault test) leaves it running unless it is killed by pid.
 */
final class Postmaster {
    private Postmaster() {
    }

    /** The running server of {@code dataDir}, if any (a stale pid file names a dead or reused pid). */
    static Optional<ProcessHandle> of(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 2 || !lines.get(0).trim().matches("\\d+")) {
                return Optional.empty();
            }
            String dir = lines.get(1).trim();
            return ProcessHandle.of(Long.parseLong(lines.get(0).trim())).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().map(c -> c.contains("postgres") && c.contains(dir)).orElse(true));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** SIGKILL of the server of {@code dataDir}, if one runs; returns once it is gone. */
    static void kill(Path dataDir) {
        of(dataDir).ifPresent(p -> {
            p.destroyForcibly();
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // still there: the next start fails on its port and says so
            }
        });
    }

    /** Waits up to {@code seconds} for the server of {@code dataDir} to exit by itself; true once none runs. */
    static boolean awaitExit(Path dataDir, int seconds) {
        Optional<ProcessHandle> p = of(dataDir);
        if (p.isEmpty()) {
            return true;
        }
        try {
            p.get().onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }
}
