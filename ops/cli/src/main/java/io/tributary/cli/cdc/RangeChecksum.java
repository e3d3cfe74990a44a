package io.tributary.cli.cdc;

/** A range's row count and the XOR of its rows' 64-bit hashes (as text: they are unsigned). */
public record RangeChecksum(long rows, String xor) {
}
