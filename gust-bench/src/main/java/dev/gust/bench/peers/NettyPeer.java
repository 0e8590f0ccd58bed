package dev.gust.bench.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;

/** Netty 4.2, one event-loop thread (accept + I/O), transport nio | epoll | iouring. */
final class NettyPeer {
    private NettyPeer() {}

    static void start(String transport, String workload, int port) throws Exception {
        IoHandlerFactory factory;
        Class<? extends ServerChannel> channel;
        switch (transport) {
            case "nio" -> { factory = NioIoHandler.newFactory(); channel = NioServerSocketChannel.class; }
            case "epoll" -> { factory = EpollIoHandler.newFactory(); channel = EpollServerSocketChannel.class; }
            case "iouring" -> { factory = IoUringIoHandler.newFactory(); channel = IoUringServerSocketChannel.class; }
            default -> throw new IllegalArgumentException("transport " + transport);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, factory);
        ChannelGroup all = new DefaultChannelGroup(group.next());
        ChannelHandler init = new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                var p = ch.pipeline();
                switch (workload) {
                    case "tcp-echo" -> p.addLast(new TcpEcho());
                    case "http" -> p.addLast(new HttpServerCodec(), new Hello());
                    case "ws-echo", "ws-broadcast" -> {
                        // broadcast: Netty's own answer to one-flush-per-write (a syscall per delivery)
                        if (workload.equals("ws-broadcast")) p.addLast(new io.netty.handler.flush.FlushConsolidationHandler(256, true));
                        p.addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/").checkStartsWith(true).maxFramePayloadLength(16 << 20)
                                        .allowExtensions(false).build()));
                        p.addLast(workload.equals("ws-echo") ? new WsEcho() : new WsBroadcast(all));
                    }
                    default -> throw PeerMain.unsupported("netty", workload);
                }
            }
        };
        Channel server = new ServerBootstrap().group(group).channel(channel)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(init).bind("127.0.0.1", port).sync().channel();
        PeerMain.ready("netty-" + transport, workload, port);
        server.closeFuture().sync();
    }

    /** Echo whatever arrives; flush once per read batch. */
    @ChannelHandler.Sharable
    static final class TcpEcho extends ChannelInboundHandlerAdapter {
        @Override public void channelRead(ChannelHandlerContext ctx, Object msg) { ctx.write(msg, ctx.voidPromise()); }
        @Override public void channelReadComplete(ChannelHandlerContext ctx) { ctx.flush(); }
        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) { ctx.close(); }
    }

    /** Plaintext hello in the TechEmpower style: a prebuilt body, flush per read batch. */
    static final class Hello extends ChannelInboundHandlerAdapter {
        static final CharSequence LEN = io.netty.util.AsciiString.cached(Integer.toString(PeerMain.HELLO.length));
        static final CharSequence TYPE = io.netty.util.AsciiString.cached("text/plain");

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest req) {
                boolean keepAlive = HttpUtil.isKeepAlive(req);
                FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(PeerMain.HELLO), false);
                res.headers().set(HttpHeaderNames.CONTENT_TYPE, TYPE).set(HttpHeaderNames.CONTENT_LENGTH, LEN);
                if (keepAlive) ctx.write(res, ctx.voidPromise());
                else ctx.writeAndFlush(res).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            }
            if (msg instanceof HttpContent || !(msg instanceof HttpRequest)) ReferenceCountUtil.release(msg);
        }
        @Override public void channelReadComplete(ChannelHandlerContext ctx) { ctx.flush(); }
        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) { ctx.close(); }
    }

    static final class WsEcho extends SimpleChannelInboundHandler<WebSocketFrame> {
        WsEcho() { super(false); }
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame f) {
            if (f instanceof BinaryWebSocketFrame || f instanceof TextWebSocketFrame) ctx.write(f, ctx.voidPromise());
            else f.release();
        }
        @Override public void channelReadComplete(ChannelHandlerContext ctx) { ctx.flush(); }
        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) { ctx.close(); }
    }

    /** Every connection joins one ChannelGroup; each message is written to the whole group. */
    static final class WsBroadcast extends SimpleChannelInboundHandler<WebSocketFrame> {
        final ChannelGroup all;
        WsBroadcast(ChannelGroup all) { super(true); this.all = all; }
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) all.add(ctx.channel());
            super.userEventTriggered(ctx, evt);
        }
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame f) {
            if (f instanceof BinaryWebSocketFrame || f instanceof TextWebSocketFrame) all.writeAndFlush(f.retainedDuplicate());
        }
        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) { ctx.close(); }
    }
}
