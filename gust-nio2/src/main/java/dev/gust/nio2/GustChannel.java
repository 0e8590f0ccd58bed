package dev.gust.nio2;

import java.io.IOException;

/** What the group needs of its channels: closing them on {@code shutdownNow}. */
interface GustChannel {
    void close() throws IOException;
}
