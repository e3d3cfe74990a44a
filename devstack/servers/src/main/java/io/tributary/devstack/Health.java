package io.tributary.devstack;

/** The outcome of one health probe of a component. */
public record Health(boolean healthy, String detail) {
    public static Health up(String detail) {
        return new Health(true, detail);
    }

    public static Health down(String detail) {
        return new Health(false, detail);
    }
}
