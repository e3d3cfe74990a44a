package io.tributary.dev.bench;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CPU time of the stack's server processes (broker, registry, S3 server, Connect worker): the
 * children of the process that started them, and that process unless it is this one. A benchmark
 * reads it before and after a side and charges the difference to the side, without the side's own
 * JVMs (which, on a stack this JVM started, are children of the same process).
 */
final class StackCpu {
    private final long stackPid;

    StackCpu(long stackPid) {
        this.stackPid = stackPid;
    }

    /**
     * The stack's CPU time so far, without the processes in {@code sides} and their children (a side
     * started through a launcher script may run its JVM as the script's child).
     */
    long nanos(Set<Long> sides) {
        ProcessHandle root = ProcessHandle.of(stackPid).orElseThrow(() -> new IllegalStateException("the stack's process "
                + stackPid + " is gone"));
        Set<Long> excluded = sides.stream().flatMap(pid -> ProcessHandle.of(pid).stream())
                .flatMap(side -> Stream.concat(Stream.of(side), side.descendants())).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
        excluded.addAll(sides);
        long sum = stackPid == ProcessHandle.current().pid() ? 0 : cpu(root);
        for (ProcessHandle p : root.descendants().toList()) {
            if (!excluded.contains(p.pid()) && p.pid() != ProcessHandle.current().pid()) {
                sum += cpu(p);
            }
        }
        return sum;
    }

    private static long cpu(ProcessHandle p) {
        return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
