package io.tributary.cli.replay;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.BitSet;

/**
 * A multiset of row identities, each kept as the first 128 bits of its SHA-256 (16 bytes however
 * long the identity, and no collision in any realistic lake: at 10^9 rows the chance is about
 * 10^-21). A replay collects the identities of the source records it read for an hour, then
 * {@link #take}s one for each old lake row it finds with that identity: a row that finds one is
 * replaced, one that finds none is carried over unchanged.
 */
final class IdentityMultiset {
    private long[] hi = new long[1024];
    private long[] lo = new long[1024];
    private int size;
    private BitSet taken;

    void add(String identity) {
        if (taken != null) {
            throw new IllegalStateException("add after take");
        }
        if (size == hi.length) {
            hi = Arrays.copyOf(hi, size * 2);
            lo = Arrays.copyOf(lo, size * 2);
        }
        byte[] d = digest(identity);
        hi[size] = toLong(d, 0);
        lo[size] = toLong(d, 8);
        size++;
    }

    int size() {
        return size;
    }

    /** Removes one occurrence of {@code identity}; false when none is left. */
    boolean take(String identity) {
        if (taken == null) {
            sort(0, size - 1);
            taken = new BitSet(size);
        }
        byte[] d = digest(identity);
        long h = toLong(d, 0);
        long l = toLong(d, 8);
        int i = first(h, l);
        for (; i < size && hi[i] == h && lo[i] == l; i++) {
            if (!taken.get(i)) {
                taken.set(i);
                return true;
            }
        }
        return false;
    }

    /**
     * Adds the identities to those already in {@code file}, so that an hour's can wait on disk until its
     * swap; {@link #addAll} reads what was appended as one multiset.
     */
    void append(Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)))) {
            for (int i = 0; i < size; i++) {
                out.writeLong(hi[i]);
                out.writeLong(lo[i]);
            }
        }
    }

    /** Adds the identities {@link #append} wrote to {@code file} (nothing when it does not exist). */
    void addAll(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            while (true) {
                long h;
                try {
                    h = in.readLong();
                } catch (EOFException end) {
                    return;
                }
                if (size == hi.length) {
                    hi = Arrays.copyOf(hi, size * 2);
                    lo = Arrays.copyOf(lo, size * 2);
                }
                hi[size] = h;
                lo[size] = in.readLong();
                size++;
            }
        }
    }

    /** The index of the first entry not less than (h, l), in the sorted arrays. */
    private int first(long h, long l) {
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (compare(mid, h, l) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private int compare(int i, long h, long l) {
        int c = Long.compare(hi[i], h);
        return c != 0 ? c : Long.compare(lo[i], l);
    }

    /** Quicksort of both arrays by (hi, lo); recursion only into the smaller half, so the stack stays shallow. */
    private void sort(int from, int to) {
        while (from < to) {
            int mid = (from + to) >>> 1;
            long ph = hi[mid];
            long pl = lo[mid];
            int i = from;
            int j = to;
            while (i <= j) {
                while (compare(i, ph, pl) < 0) {
                    i++;
                }
                while (compare(j, ph, pl) > 0) {
                    j--;
                }
                if (i <= j) {
                    swap(i++, j--);
                }
            }
            if (j - from < to - i) {
                sort(from, j);
                from = i;
            } else {
                sort(i, to);
                to = j;
            }
        }
    }

    private void swap(int a, int b) {
        long h = hi[a];
        long l = lo[a];
        hi[a] = hi[b];
        lo[a] = lo[b];
        hi[b] = h;
        lo[b] = l;
    }

    private static byte[] digest(String identity) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static long toLong(byte[] b, int at) {
        long v = 0;
        for (int i = at; i < at + 8; i++) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }
}
