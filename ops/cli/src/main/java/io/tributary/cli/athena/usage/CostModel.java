package io.tributary.cli.athena.usage;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Athena's per-query price for SQL queries, as published: a price per TB scanned, each query's bytes
 * rounded up to the next MiB with a 10 MiB minimum; DDL statements and failed queries are free.
 * Utility statements (SHOW, DESCRIBE) are counted as free too. Workgroups on capacity reservations
 * are billed per DPU-hour instead; this estimate does not apply to them.
 */
public record CostModel(BigDecimal pricePerTb) {
    /** USD per TB scanned, Athena's published price for SQL queries in most regions (aws.amazon.com/athena/pricing). */
    public static final String PUBLISHED_PRICE_PER_TB = "5.00";
    static final long MIB = 1L << 20;
    static final long MINIMUM_BILLED = 10 * MIB;
    private static final BigDecimal TB = BigDecimal.valueOf(1L << 40);

    public CostModel {
        if (pricePerTb.signum() < 0) {
            throw new IllegalArgumentException("--price-per-tb must not be negative");
        }
    }

    /** The estimated cost in USD of one query (exact to 10 decimal places). */
    public BigDecimal cost(String statementType, String state, Long bytesScanned) {
        if (!"DML".equals(statementType) || "FAILED".equals(state)) {
            return BigDecimal.ZERO;
        }
        long bytes = bytesScanned == null ? 0 : bytesScanned;
        long billed = Math.max(MINIMUM_BILLED, (bytes + MIB - 1) / MIB * MIB);
        return pricePerTb.multiply(BigDecimal.valueOf(billed)).divide(TB, 10, RoundingMode.HALF_UP);
    }

    /** What the estimate assumes, for the report's header (two lines). */
    public String describe() {
        boolean published = pricePerTb.compareTo(new BigDecimal(PUBLISHED_PRICE_PER_TB)) == 0;
        return "Estimated cost at USD " + pricePerTb.setScale(2, RoundingMode.HALF_UP).toPlainString() + " per TB scanned ("
                + (published ? "Athena's published price for SQL queries in most regions" : "set with --price-per-tb;"
                + " Athena's published price is USD " + PUBLISHED_PRICE_PER_TB) + "; 1 TB = 2^40 bytes).\nDML queries that did not"
                + " fail pay their bytes rounded up to the MiB, at least 10 MiB; DDL, utility statements and failed queries are free.";
    }
}
