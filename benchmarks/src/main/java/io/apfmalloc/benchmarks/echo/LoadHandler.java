package io.apfmalloc.benchmarks.echo;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import org.HdrHistogram.Histogram;

/**
 * One client connection: keeps {@code inFlight} messages of {@code size} bytes in flight, checks every echoed byte
 * against what was sent, and records the round-trip latency of each message that completes in the measured window.
 * When the window has ended it sends nothing more and counts down {@code drained} once its last echo is back.
 *
 * <p>Message {@code n} of a connection is {@code size} bytes of the connection's random pattern from offset
 * {@code n % 251}, so a message echoed out of order, from another connection or from stale memory does not match.
 * All methods but {@link #tally()}'s caller run on the channel's event loop.
 */
final class LoadHandler extends ChannelInboundHandlerAdapter {
    /** Distinct starting offsets into the pattern; prime, so consecutive messages never share an offset. */
    private static final int OFFSETS = 251;

    private final int size;
    private final int inFlightTarget;
    private final byte[] pattern;
    private final MemorySegment patternSegment;
    private final ByteBuf patternBuffer;
    private final long[] sendTimes;
    private final Histogram latencies = new Histogram(3);

    private ChannelHandlerContext ctx;
    private long measureStart;
    private long measureEnd;
    private CountDownLatch drained;
    private boolean running;

    private int oldest;
    private int inFlight;
    private long sentMessages;
    private long receivedMessages;
    private int receivedBytesOfMessage;
    private boolean messageDiffers;

    private long measured;
    private long mismatched;
    private Throwable failure;

    /** The figures of a connection, read once its load ended. */
    record Tally(long measured, long verified, long mismatched, Histogram latencies, Throwable failure) {
    }

    LoadHandler(int size, int inFlight, long seed) {
        this.size = size;
        this.inFlightTarget = inFlight;
        this.pattern = new byte[size + OFFSETS];
        new SplittableRandom(seed).nextBytes(pattern);
        this.patternSegment = MemorySegment.ofArray(pattern);
        this.patternBuffer = Unpooled.wrappedBuffer(pattern);
        this.sendTimes = new long[inFlight];
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Starts the load; on the event loop. Messages completing in [measureStart, measureEnd) are measured. */
    void start(long measureStart, long measureEnd, CountDownLatch drained) {
        this.measureStart = measureStart;
        this.measureEnd = measureEnd;
        this.drained = drained;
        this.running = true;
        long now = System.nanoTime();
        for (int i = 0; i < inFlightTarget; i++) {
            send(now);
        }
        ctx.flush();
    }

    /** Returns this connection's figures; on the event loop, after {@code drained} was counted down. */
    Tally tally() {
        return new Tally(measured, receivedMessages, mismatched, latencies.copy(), failure);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            while (in.isReadable() && failure == null) {
                if (inFlight == 0) {
                    finish(new IllegalStateException("echoed bytes with no message in flight"));
                    return;
                }
                int length = Math.min(in.readableBytes(), size - receivedBytesOfMessage);
                int expectedAt = offset(receivedMessages) + receivedBytesOfMessage;
                if (!matches(in, in.readerIndex(), expectedAt, length)) {
                    messageDiffers = true;
                }
                in.skipBytes(length);
                receivedBytesOfMessage += length;
                if (receivedBytesOfMessage == size) {
                    completeMessage();
                }
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (running) {
            finish(new IllegalStateException("the server closed the connection during the run"));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        finish(cause);
        ctx.close();
    }

    private void completeMessage() {
        long now = System.nanoTime();
        long latency = now - sendTimes[oldest];
        oldest = (oldest + 1) % inFlightTarget;
        inFlight--;
        receivedMessages++;
        receivedBytesOfMessage = 0;
        if (messageDiffers) {
            mismatched++;
            messageDiffers = false;
        }
        if (now >= measureStart && now < measureEnd) {
            measured++;
            latencies.recordValue(latency);
        }
        if (now < measureEnd) {
            send(now);
        } else if (inFlight == 0) {
            finish(null);
        }
    }

    private void send(long now) {
        ByteBuf out = ctx.alloc().directBuffer(size, size).writeBytes(pattern, offset(sentMessages), size);
        sendTimes[(oldest + inFlight) % inFlightTarget] = now;
        inFlight++;
        sentMessages++;
        ctx.write(out, ctx.voidPromise());
    }

    private void finish(Throwable cause) {
        if (running) {
            running = false;
            failure = cause;
            drained.countDown();
        }
    }

    private boolean matches(ByteBuf in, int index, int expectedAt, int length) {
        if (in.nioBufferCount() == 1) {
            MemorySegment actual = MemorySegment.ofBuffer(in.nioBuffer(index, length));
            return MemorySegment.mismatch(actual, 0, length, patternSegment, expectedAt, expectedAt + length) < 0;
        }
        return ByteBufUtil.equals(in, index, patternBuffer, expectedAt, length);
    }

    private static int offset(long message) {
        return (int) (message % OFFSETS);
    }
}
