package dev.gust.http.parse;

import dev.gust.http.HttpStatus;
import java.nio.ByteBuffer;

/**
 * Decides what a syntactically valid head means: how its body is framed (RFC 9112 §6), whether the
 * connection persists (§9.3), {@code Expect: 100-continue} and {@code Upgrade}. It is where request
 * smuggling is stopped: any ambiguity in framing is rejected, never guessed.
 */
final class RequestSemantics {
    private static final int MAX_LENGTH_DIGITS = 18;   // keeps the value below Long.MAX_VALUE

    private final long maxBodySize;
    private final ListElements list = new ListElements();
    private String failure;

    RequestSemantics(long maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    String failure() {
        return failure;
    }

    /** Fills the semantic fields of {@code head}; returns 0 or the status to reject it with. */
    int apply(HttpRequestHead head) {
        int hosts = 0;
        int transferEncodings = 0;
        long contentLength = -1;
        boolean close = false;
        boolean keepAliveToken = false;
        boolean connectionUpgrade = false;
        boolean upgradeHeader = false;
        boolean expectContinue = false;
        ByteBuffer src = head.src;

        for (int i = 0; i < head.headerCount; i++) {
            int offset = head.valueOffset(i);
            int length = head.valueLength(i);
            switch (head.kinds[i]) {
                case KnownHeader.HOST -> {
                    if (++hosts > 1) return fail(HttpStatus.BAD_REQUEST, "multiple Host headers");
                    if (!isValidHost(src, offset, length)) return fail(HttpStatus.BAD_REQUEST, "invalid Host");
                }
                case KnownHeader.CONTENT_LENGTH -> {
                    long value = parseContentLength(src, offset, length);
                    if (value < 0) return fail(HttpStatus.BAD_REQUEST, "invalid Content-Length");
                    if (contentLength >= 0 && contentLength != value) {
                        return fail(HttpStatus.BAD_REQUEST, "conflicting Content-Length");
                    }
                    contentLength = value;
                }
                case KnownHeader.TRANSFER_ENCODING -> transferEncodings++;
                case KnownHeader.CONNECTION -> {
                    list.reset(src, offset, length);
                    while (list.next()) {
                        if (list.is("close")) close = true;
                        else if (list.is("keep-alive")) keepAliveToken = true;
                        else if (list.is("upgrade")) connectionUpgrade = true;
                    }
                }
                case KnownHeader.EXPECT -> expectContinue |= ListElements.equalsIgnoreCase(src, offset, length, "100-continue");
                case KnownHeader.UPGRADE -> upgradeHeader = true;
                default -> { }
            }
        }

        boolean http11 = head.versionMinor >= 1;
        if (http11 && hosts == 0) return fail(HttpStatus.BAD_REQUEST, "missing Host");
        if (transferEncodings > 0) {
            if (!http11) return fail(HttpStatus.BAD_REQUEST, "Transfer-Encoding in HTTP/1.0");
            if (contentLength >= 0) return fail(HttpStatus.BAD_REQUEST, "both Content-Length and Transfer-Encoding");
            int status = checkTransferCodings(head);
            if (status != 0) return status;
            head.chunked = true;
        } else if (contentLength > maxBodySize) {
            return fail(HttpStatus.CONTENT_TOO_LARGE, "Content-Length over the body limit");
        }
        head.contentLength = Math.max(contentLength, 0);
        head.keepAlive = !close && (http11 || keepAliveToken);
        head.expectContinue = http11 && expectContinue;
        head.upgrade = http11 && upgradeHeader && connectionUpgrade;   // RFC 9110 §7.8: ignore in 1.0
        return 0;
    }

    /**
     * Accepts exactly one coding, {@code chunked}, last (RFC 9112 §6.1): if chunked is not final the
     * body length is unknowable (400); another coding we cannot decode is 501.
     */
    private int checkTransferCodings(HttpRequestHead head) {
        int codings = 0;
        int chunkedAt = -1;
        boolean lastIsChunked = false;
        boolean unknown = false;
        for (int i = 0; i < head.headerCount; i++) {
            if (head.kinds[i] != KnownHeader.TRANSFER_ENCODING) continue;
            list.reset(head.src, head.valueOffset(i), head.valueLength(i));
            while (list.next()) {
                lastIsChunked = list.is("chunked");
                if (lastIsChunked) {
                    if (chunkedAt >= 0) return fail(HttpStatus.BAD_REQUEST, "chunked applied twice");
                    chunkedAt = codings;
                } else {
                    unknown = true;
                }
                codings++;
            }
        }
        if (!lastIsChunked) return fail(HttpStatus.BAD_REQUEST, "chunked is not the final transfer coding");
        if (unknown) return fail(HttpStatus.NOT_IMPLEMENTED, "unsupported transfer coding");
        return 0;
    }

    /** Parses {@code 1*DIGIT}, or a list of identical ones ({@code "5, 5"}, RFC 9110 §8.6); -1 if invalid. */
    private long parseContentLength(ByteBuffer src, int offset, int length) {
        long result = -1;
        int end = offset + length;
        int i = offset;
        while (true) {
            while (i < end && dev.gust.http.internal.Ascii.isWhitespace(src.get(i))) i++;
            int digitsStart = i;
            long value = 0;
            while (i < end && src.get(i) >= '0' && src.get(i) <= '9') {
                if (i - digitsStart == MAX_LENGTH_DIGITS) return -1;
                value = value * 10 + (src.get(i) - '0');
                i++;
            }
            if (i == digitsStart || (result >= 0 && value != result)) return -1;
            result = value;
            while (i < end && dev.gust.http.internal.Ascii.isWhitespace(src.get(i))) i++;
            if (i == end) return result;
            if (src.get(i++) != ',') return -1;
        }
    }

    /** Host = uri-host [":" port]: reg-name, IPv4 or IP-literal characters only (may be empty). */
    private static boolean isValidHost(ByteBuffer src, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = src.get(i);
            boolean alnum = (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z');
            if (!alnum && "-._~%!$&'()*+,;=:[]".indexOf(b) < 0) return false;
        }
        return true;
    }

    private int fail(int status, String reason) {
        failure = reason;
        return status;
    }
}
