package io.tributary.cli.common;

import java.util.Locale;

/** Byte counts as the commands print them: binary units, as Athena's console shows them (KB = 1024 bytes). */
public final class ByteSizes {
    private ByteSizes() {
    }

    public static String human(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.2f %s", value, units[unit]);
    }
}
