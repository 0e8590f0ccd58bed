package dev.gust.conformance.cases;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Deterministic stand-ins for Autobahn's compression corpora (a large JSON file, a bitmap picture, a German text,
 * an HTML page, a PDF). Text corpora are ASCII so that any slice is valid UTF-8; binary ones mix structure and noise
 * like the originals, so compression ratios differ between them.
 */
final class Corpora {
    private Corpora() {}

    static final int SIZE = 1 << 20;

    static byte[] json() {
        StringBuilder s = new StringBuilder(SIZE + 256);
        Random r = new Random(12);
        s.append('[');
        for (int i = 0; s.length() < SIZE; i++) {
            s.append("{\"id\":").append(i).append(",\"name\":\"user").append(r.nextInt(5000))
                    .append("\",\"active\":").append(r.nextBoolean()).append(",\"score\":").append(r.nextDouble())
                    .append(",\"tags\":[\"alpha\",\"beta\",\"t").append(r.nextInt(100)).append("\"]},");
        }
        return slice(s);
    }

    static byte[] text() {
        String[] words = {"Habe", "nun", "ach", "Philosophie", "Juristerei", "und", "Medizin", "leider", "auch", "Theologie",
                "durchaus", "studiert", "mit", "heissem", "Bemuehn", "da", "steh", "ich", "armer", "Tor", "bin", "so", "klug",
                "als", "wie", "zuvor", "Heisse", "Magister", "heisse", "Doktor", "gar", "Faust", "Mephistopheles", "Gretchen"};
        StringBuilder s = new StringBuilder(SIZE + 64);
        Random r = new Random(7);
        while (s.length() < SIZE) {
            s.append(words[r.nextInt(words.length)]).append(r.nextInt(12) == 0 ? ",\n" : " ");
        }
        return slice(s);
    }

    static byte[] html() {
        StringBuilder s = new StringBuilder(SIZE + 256);
        Random r = new Random(3);
        s.append("<!DOCTYPE html><html><head><title>Report</title></head><body>\n");
        for (int i = 0; s.length() < SIZE; i++) {
            s.append("<div class=\"row r").append(i % 7).append("\"><a href=\"/item/").append(r.nextInt(100000))
                    .append("\">Item ").append(i).append("</a><span>").append(r.nextInt(1000)).append("</span></div>\n");
        }
        return slice(s);
    }

    static byte[] bitmap() {
        byte[] b = new byte[SIZE];
        Random r = new Random(5);
        for (int i = 0; i < SIZE; i++) {
            int x = i % 512, y = i / 512;
            b[i] = (byte) (((x ^ y) & 0x40) != 0 ? 0xff : (r.nextInt(16) == 0 ? r.nextInt(256) : 0));
        }
        return b;
    }

    static byte[] pdf() {
        byte[] b = new byte[SIZE];
        Random r = new Random(9);
        byte[] text = "stream BT /F1 12 Tf 72 712 Td (Hello) Tj ET endstream endobj ".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < SIZE; ) {
            if (r.nextBoolean()) {
                for (int k = 0; k < 512 && i < SIZE; k++) b[i++] = (byte) r.nextInt(256);
            } else {
                for (int k = 0; k < text.length && i < SIZE; k++) b[i++] = text[k];
            }
        }
        return b;
    }

    private static byte[] slice(StringBuilder s) {
        return java.util.Arrays.copyOf(s.toString().getBytes(StandardCharsets.US_ASCII), SIZE);
    }
}
