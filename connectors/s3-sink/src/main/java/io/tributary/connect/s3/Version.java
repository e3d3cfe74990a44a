package io.tributary.connect.s3;

/** The plugin version Connect shows, from the jar manifest (set by Maven). */
final class Version {
    private Version() {
    }

    static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
