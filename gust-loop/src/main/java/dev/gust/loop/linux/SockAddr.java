package dev.gust.loop.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.channels.UnresolvedAddressException;

/** Encodes and decodes {@code struct sockaddr_in} / {@code sockaddr_in6}. */
final class SockAddr {
    private SockAddr() {}

    /** Room for either struct (sizeof(struct sockaddr_storage) would be 128; in6 needs 28). */
    static final int MAX_SIZE = 32;
    static final int IN_SIZE = 16, IN6_SIZE = 28;

    private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    static int family(InetSocketAddress a) {
        return a.getAddress() instanceof Inet6Address ? LibC.AF_INET6 : LibC.AF_INET;
    }

    /** Writes {@code a} into {@code seg}; returns the struct's length. */
    static int encode(InetSocketAddress a, MemorySegment seg) {
        if (a.isUnresolved()) throw new UnresolvedAddressException();
        InetAddress ip = a.getAddress();
        seg.fill((byte) 0);
        if (ip instanceof Inet6Address v6) {
            seg.set(ValueLayout.JAVA_SHORT, 0, (short) LibC.AF_INET6);
            seg.set(PORT, 2, (short) a.getPort());
            MemorySegment.copy(v6.getAddress(), 0, seg, ValueLayout.JAVA_BYTE, 8, 16);
            seg.set(ValueLayout.JAVA_INT_UNALIGNED, 24, v6.getScopeId());
            return IN6_SIZE;
        }
        seg.set(ValueLayout.JAVA_SHORT, 0, (short) LibC.AF_INET);
        seg.set(PORT, 2, (short) a.getPort());
        MemorySegment.copy(ip.getAddress(), 0, seg, ValueLayout.JAVA_BYTE, 4, 4);
        return IN_SIZE;
    }

    /** Writes the AF_UNSPEC address that dissolves a UDP association; returns its length. */
    static int encodeUnspec(MemorySegment seg) {
        seg.fill((byte) 0);
        return IN_SIZE;
    }

    /** Reads an address written by the kernel; null for an unknown family. */
    static InetSocketAddress decode(MemorySegment seg) {
        int family = seg.get(ValueLayout.JAVA_SHORT, 0);
        int port = Short.toUnsignedInt(seg.get(PORT, 2));
        try {
            if (family == LibC.AF_INET) {
                byte[] b = new byte[4];
                MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, 4, b, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(b), port);
            }
            if (family == LibC.AF_INET6) {
                byte[] b = new byte[16];
                MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, 8, b, 0, 16);
                int scope = seg.get(ValueLayout.JAVA_INT_UNALIGNED, 24);
                // getByAddress turns ::ffff:a.b.c.d into an Inet4Address, as NIO does.
                InetAddress ip = InetAddress.getByAddress(b);
                if (scope != 0 && !(ip instanceof Inet4Address)) ip = Inet6Address.getByAddress(null, b, scope);
                return new InetSocketAddress(ip, port);
            }
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // only for bad lengths
        }
        return null;
    }
}
