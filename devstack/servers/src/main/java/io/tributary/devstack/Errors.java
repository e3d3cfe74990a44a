package io.tributary.devstack;

/** Turns exceptions into the one line a user needs. */
public final class Errors {
    private Errors() {
    }

    /** The innermost cause's type and message: usually the line that explains a failure. */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
