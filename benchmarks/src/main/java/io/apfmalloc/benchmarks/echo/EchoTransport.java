package io.apfmalloc.benchmarks.echo;

import io.apfmalloc.benchmarks.harness.Labelled;
import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.function.Supplier;

/** The Netty transports the echo benchmark runs over: the JDK's NIO, and Linux's native epoll. */
public enum EchoTransport implements Labelled {
    /** The JDK's NIO selector. */
    NIO(NioIoHandler::newFactory, NioServerSocketChannel.class, NioSocketChannel.class),
    /** Netty's native epoll transport (Linux only; needs the JNI library of netty-transport-native-epoll). */
    EPOLL(EpollIoHandler::newFactory, EpollServerSocketChannel.class, EpollSocketChannel.class);

    private final Supplier<IoHandlerFactory> ioHandlerFactory;
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends Channel> channel;

    EchoTransport(Supplier<IoHandlerFactory> ioHandlerFactory, Class<? extends ServerChannel> serverChannel,
                  Class<? extends Channel> channel) {
        this.ioHandlerFactory = ioHandlerFactory;
        this.serverChannel = serverChannel;
        this.channel = channel;
    }

    /** Returns a factory of this transport's I/O handlers, for a {@code MultiThreadIoEventLoopGroup}. */
    public IoHandlerFactory ioHandlerFactory() {
        return ioHandlerFactory.get();
    }

    /** Returns the server channel class. */
    public Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    /** Returns the client channel class. */
    public Class<? extends Channel> channel() {
        return channel;
    }

    /** Returns whether this transport can run in this JVM. */
    public boolean isAvailable() {
        return this != EPOLL || Epoll.isAvailable();
    }

    /** Returns why this transport cannot run here, or null if it can. */
    public String unavailabilityCause() {
        if (isAvailable()) {
            return null;
        }
        Throwable cause = Epoll.unavailabilityCause();
        return cause == null ? "unavailable" : cause.toString();
    }

    /** Returns the transport named {@code label} (any case). */
    public static EchoTransport of(String label) {
        return Labelled.parse(EchoTransport.class, "transport", label);
    }
}
