package dev.autolab.keys.key;

import dev.autolab.common.error.Errors;

/** Spending limits: micro-dollars on the wire, dollars for people. */
public final class Limits {
    public static final long MICROS_PER_USD = 1_000_000L;
    /** A billion dollars: anything above is a typo, and sums stay far from overflow. */
    static final long MAX_MICRO_USD = 1_000_000_000L * MICROS_PER_USD;

    private Limits() {}

    public static void requireValid(long microUsd) {
        if (microUsd <= 0) {
            throw Errors.invalidArgument(
                    "a spending limit must be more than $0 (clear it with `autolab keys limit KEY none`)");
        }
        if (microUsd > MAX_MICRO_USD) {
            throw Errors.invalidArgument("a spending limit must be at most $" + MAX_MICRO_USD / MICROS_PER_USD);
        }
    }

    /** {@code 25000000} → {@code $25.00}; {@code 1234567} → {@code $1.234567}. */
    public static String usd(long microUsd) {
        long dollars = microUsd / MICROS_PER_USD;
        long rest = microUsd % MICROS_PER_USD;
        if (rest % 10_000 == 0) {
            return String.format("$%d.%02d", dollars, rest / 10_000);
        }
        return String.format("$%d.%06d", dollars, rest).replaceAll("0+$", "");
    }
}
