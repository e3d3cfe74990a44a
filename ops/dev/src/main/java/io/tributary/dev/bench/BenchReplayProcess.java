package io.tributary.dev.bench;

import io.tributary.cli.Tributary;
import java.lang.management.ManagementFactory;

/**
 * The replay side of `tributary bench replay`, run in its own JVM: the production command line
 * ({@code tributary replay ...}, settings from the environment only), then, as its last line, the
 * CPU time this JVM used, which the bench reads from its log (a process that has exited no longer
 * reports its CPU time to the OS's process table).
 */
public final class BenchReplayProcess {
    static final String CPU_LINE = "bench-replay-cpu-nanos: ";

    private BenchReplayProcess() {
    }

    public static void main(String[] args) {
        int code = Tributary.commandLine(System::getenv, args).execute(args);
        long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        System.out.println(CPU_LINE + cpu);
        System.out.flush();
        System.exit(code);
    }
}
