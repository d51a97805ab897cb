package io.apfmalloc.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.apfmalloc.core.testing.ControlledFaults;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A real Netty echo server (NIO, loopback sockets, plain blocking sockets as clients) whose connections read into
 * buffers of an allocator that refuses every mapping for a while. During the outage a read buffer cannot be
 * allocated: Netty fires {@code exceptionCaught} with the {@link OutOfMemoryError} and closes the connection, and
 * the client sees its connection end without an echo. The server itself keeps serving: connections made after the
 * outage echo every byte, and at the end the audit finds the allocator consistent with no buffer live and a trim
 * gives every byte back.
 */
class OutageEchoServerTest {
    private static final int[] PAYLOAD_SIZES = {1, 100, 1500, 64 * 1024 + 3, 256 * 1024};

    @Test
    void theServerKeepsServingThroughAnAllocationOutage() throws Exception {
        ControlledFaults faults = new ControlledFaults(0);
        ApfByteBufAllocator allocator = ApfByteBufAllocator.builder().preferDirect(true).faultInjector(faults)
            .build();
        EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("apf-outage-accept"),
            NioIoHandler.newFactory());
        EventLoopGroup children = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("apf-outage-child"),
            NioIoHandler.newFactory());
        Queue<Throwable> caught = new ConcurrentLinkedQueue<>();
        AtomicInteger openConnections = new AtomicInteger();
        Random random = new Random(11);
        try {
            Channel server = new ServerBootstrap().group(acceptor, children).channel(NioServerSocketChannel.class)
                .option(ChannelOption.ALLOCATOR, allocator)
                .childOption(ChannelOption.ALLOCATOR, allocator)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new EchoHandler(caught, openConnections));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            InetSocketAddress address = (InetSocketAddress) server.localAddress();

            for (int size : PAYLOAD_SIZES) {
                byte[] payload = payload(random, size);
                assertArrayEquals(payload, echo(address, payload), "before the outage, " + size + " B");
            }
            awaitNoConnections(openConnections);
            assertEquals(List.of(), List.copyOf(caught), "nothing failed before the outage");
            // Empty the loops' caches and unmap what is free, so that every read during the outage needs a mapping.
            for (EventExecutor child : children) {
                Tasks.await(child.submit(allocator::trimCurrentThreadCache));
            }
            allocator.trim();
            assertEquals(0, allocator.metric().usedDirectMemory(), "nothing mapped as the outage starts");

            faults.startOutage();
            List<String> echoedDuringOutage = new ArrayList<>();
            for (int size : PAYLOAD_SIZES) {
                byte[] payload = payload(random, size);
                byte[] echoed = echoUntilClosed(address, payload);
                if (echoed.length > 0) {
                    echoedDuringOutage.add(size + " B: " + echoed.length + " echoed");
                }
            }
            awaitNoConnections(openConnections);
            faults.stop();
            assertEquals(List.of(), echoedDuringOutage, "no read buffer could be allocated during the outage");
            assertEquals(PAYLOAD_SIZES.length, caught.size(), "one failed read per connection: " + caught);
            for (Throwable cause : caught) {
                ApfByteBufAllocatorFaultTest.assertNamesAllocatedAndLimit(
                    assertInstanceOf(OutOfMemoryError.class, cause));
            }

            assertTrue(server.isActive(), "the server still accepts");
            for (int size : PAYLOAD_SIZES) {
                byte[] payload = payload(random, size);
                assertArrayEquals(payload, echo(address, payload), "after the outage, " + size + " B");
            }
            server.close().sync();
        } finally {
            acceptor.shutdownGracefully(0, Tasks.TIMEOUT_SECONDS, TimeUnit.SECONDS).sync();
            children.shutdownGracefully(0, Tasks.TIMEOUT_SECONDS, TimeUnit.SECONDS).sync();
        }
        assertEquals(PAYLOAD_SIZES.length, caught.size(), "no failure after the outage: " + caught);
        BufferAudit audit = allocator.audit();
        assertTrue(audit.isConsistent(), audit.problems()::toString);
        assertEquals(0, audit.liveDirectBuffers(), "live direct buffers in the audit");
        assertEquals(0, allocator.metric().liveDirectBuffers(), "live direct buffers");
        assertEquals(0, allocator.metric().liveHeapBuffers(), "live heap buffers");
        allocator.trim();
        assertEquals(0, allocator.metric().usedDirectMemory(), "direct memory held after the loops ended and trim");
    }

    private static byte[] payload(Random random, int size) {
        byte[] payload = new byte[size];
        random.nextBytes(payload);
        return payload;
    }

    /** Sends {@code payload} on a new connection and returns the echo; the connection must not fail. */
    private static byte[] echo(InetSocketAddress address, byte[] payload) throws IOException {
        try (Socket socket = connect(address)) {
            socket.getOutputStream().write(payload);
            return socket.getInputStream().readNBytes(payload.length);
        }
    }

    /**
     * Sends {@code payload} on a new connection and returns what was echoed before the server closed it (a reset,
     * on writing or reading, ends it as well).
     */
    private static byte[] echoUntilClosed(InetSocketAddress address, byte[] payload) throws IOException {
        try (Socket socket = connect(address)) {
            InputStream in = socket.getInputStream();
            byte[] echoed = new byte[payload.length];
            int received = 0;
            try {
                socket.getOutputStream().write(payload);
                socket.shutdownOutput();
                for (int read; received < echoed.length && (read = in.read(echoed, received,
                    echoed.length - received)) >= 0;) {
                    received += read;
                }
            } catch (IOException reset) {
                // The server closed the connection with our bytes unread.
            }
            assertArrayEquals(Arrays.copyOf(payload, received), Arrays.copyOf(echoed, received),
                "what was echoed is what was sent");
            return Arrays.copyOf(echoed, received);
        }
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, (int) TimeUnit.SECONDS.toMillis(Tasks.TIMEOUT_SECONDS));
        socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(Tasks.TIMEOUT_SECONDS));
        return socket;
    }

    /** Waits until the server has seen every connection close (a safety net bounds the wait, not a timing check). */
    private static void awaitNoConnections(AtomicInteger openConnections) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Tasks.TIMEOUT_SECONDS);
        while (openConnections.get() > 0) {
            if (System.nanoTime() > deadline) {
                fail(openConnections.get() + " connections still open");
            }
            Thread.sleep(5);
        }
    }

    /** Writes back what it reads; records what it caught and closes the connection on it. */
    private static final class EchoHandler extends ChannelInboundHandlerAdapter {
        private final Queue<Throwable> caught;
        private final AtomicInteger openConnections;

        EchoHandler(Queue<Throwable> caught, AtomicInteger openConnections) {
            this.caught = caught;
            this.openConnections = openConnections;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            openConnections.incrementAndGet();
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            openConnections.decrementAndGet();
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            caught.add(cause);
            ctx.close();
        }
    }
}
