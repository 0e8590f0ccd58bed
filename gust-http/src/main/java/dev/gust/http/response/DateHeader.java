package dev.gust.http.response;

import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

/**
 * The {@code Date: <IMF-fixdate>\r\n} response header line (RFC 9110 §5.6.7, §6.6.1), formatted at
 * most once per second into a reused array, so writing it allocates nothing.
 *
 * <pre>{@code
 * DateHeader date = new DateHeader();   // one per event loop
 * date.write(out);                      // "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
 * }</pre>
 *
 * <p>Not thread-safe: keep one per loop thread.
 */
public final class DateHeader {
    /** Bytes of the whole line: {@code "Date: "} + 29-character date + CRLF. */
    public static final int LENGTH = 37;

    private static final byte[] DAYS = "SunMonTueWedThuFriSat".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] MONTHS =
            "JanFebMarAprMayJunJulAugSepOctNovDec".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final LongSupplier epochMillis;
    private final byte[] line = new byte[LENGTH];
    private long formattedSecond = Long.MIN_VALUE;

    /** A header on the system clock. */
    public DateHeader() {
        this(System::currentTimeMillis);
    }

    /** A header on a given clock of epoch milliseconds (tests, or a loop's cached time). */
    public DateHeader(LongSupplier epochMillis) {
        this.epochMillis = epochMillis;
        byte[] prefix = {'D', 'a', 't', 'e', ':', ' '};
        System.arraycopy(prefix, 0, line, 0, prefix.length);
        line[LENGTH - 2] = '\r';
        line[LENGTH - 1] = '\n';
    }

    /** Writes the current line into {@code out}. */
    public void write(ByteBuffer out) {
        refresh();
        out.put(line);
    }

    /** The current date value, e.g. {@code "Sun, 06 Nov 1994 08:49:37 GMT"} (allocates; for tests and logs). */
    public String value() {
        refresh();
        return new String(line, 6, 29, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private void refresh() {
        long second = Math.floorDiv(epochMillis.getAsLong(), 1000);
        if (second != formattedSecond) {
            format(second);
            formattedSecond = second;
        }
    }

    /** Formats {@code Www, DD Mmm YYYY HH:MM:SS GMT} at offset 6 without java.time (no allocation). */
    private void format(long epochSecond) {
        long days = Math.floorDiv(epochSecond, 86_400);
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400);
        int weekday = (int) Math.floorMod(days + 4, 7);   // 1970-01-01 was a Thursday

        // Civil date from days since the epoch (H. Hinnant's algorithm).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        int dayOfEra = (int) (z - era * 146_097);
        int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int mp = (5 * dayOfYear + 2) / 153;
        int day = dayOfYear - (153 * mp + 2) / 5 + 1;
        int month = mp < 10 ? mp + 3 : mp - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

        int p = 6;
        p = put3(DAYS, weekday, p);
        line[p++] = ',';
        line[p++] = ' ';
        p = put2(day, p);
        line[p++] = ' ';
        p = put3(MONTHS, month - 1, p);
        line[p++] = ' ';
        p = put2((int) (year / 100), p);
        p = put2((int) (year % 100), p);
        line[p++] = ' ';
        p = put2(secondOfDay / 3600, p);
        line[p++] = ':';
        p = put2(secondOfDay / 60 % 60, p);
        line[p++] = ':';
        p = put2(secondOfDay % 60, p);
        line[p++] = ' ';
        line[p++] = 'G';
        line[p++] = 'M';
        line[p] = 'T';
    }

    private int put3(byte[] names, int index, int p) {
        System.arraycopy(names, index * 3, line, p, 3);
        return p + 3;
    }

    private int put2(int value, int p) {
        line[p] = (byte) ('0' + value / 10);
        line[p + 1] = (byte) ('0' + value % 10);
        return p + 2;
    }
}
