package dev.gust.http;

/**
 * Size limits applied while parsing requests; exceeding one is answered with the given status.
 *
 * <pre>{@code
 * HttpLimits limits = HttpLimits.DEFAULT.withMaxHeadSize(16 * 1024).withMaxBodySize(10L << 20);
 * }</pre>
 *
 * @param maxHeadSize         request line + header section, in bytes (431 when exceeded)
 * @param maxHeaderCount      header fields per request (431 when exceeded)
 * @param maxBodySize         body bytes per request, Content-Length or chunked (413 when exceeded)
 * @param maxTrailerSize      chunked trailer section, in bytes (431 when exceeded)
 * @param maxChunkLineSize    one chunk-size line including extensions, in bytes (400 when exceeded)
 */
public record HttpLimits(int maxHeadSize, int maxHeaderCount, long maxBodySize, int maxTrailerSize,
                         int maxChunkLineSize) {

    /** 8 KiB head, 100 headers, 1 MiB body, 8 KiB trailers, 1 KiB chunk lines. */
    public static final HttpLimits DEFAULT = new HttpLimits(8 * 1024, 100, 1024 * 1024, 8 * 1024, 1024);

    public HttpLimits {
        if (maxHeadSize < 16) throw new IllegalArgumentException("maxHeadSize < 16: " + maxHeadSize);
        if (maxHeaderCount < 1) throw new IllegalArgumentException("maxHeaderCount < 1: " + maxHeaderCount);
        if (maxBodySize < 0) throw new IllegalArgumentException("maxBodySize < 0: " + maxBodySize);
        if (maxTrailerSize < 2) throw new IllegalArgumentException("maxTrailerSize < 2: " + maxTrailerSize);
        if (maxChunkLineSize < 3) throw new IllegalArgumentException("maxChunkLineSize < 3: " + maxChunkLineSize);
    }

    public HttpLimits withMaxHeadSize(int bytes) {
        return new HttpLimits(bytes, maxHeaderCount, maxBodySize, maxTrailerSize, maxChunkLineSize);
    }

    public HttpLimits withMaxHeaderCount(int count) {
        return new HttpLimits(maxHeadSize, count, maxBodySize, maxTrailerSize, maxChunkLineSize);
    }

    public HttpLimits withMaxBodySize(long bytes) {
        return new HttpLimits(maxHeadSize, maxHeaderCount, bytes, maxTrailerSize, maxChunkLineSize);
    }

    public HttpLimits withMaxTrailerSize(int bytes) {
        return new HttpLimits(maxHeadSize, maxHeaderCount, maxBodySize, bytes, maxChunkLineSize);
    }

    public HttpLimits withMaxChunkLineSize(int bytes) {
        return new HttpLimits(maxHeadSize, maxHeaderCount, maxBodySize, maxTrailerSize, bytes);
    }
}
