package io.apfmalloc.examples;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.Locale;

/** The Netty transports the example servers run on: what event loops to make and what server channel to open. */
public enum Transport {
    /** Java NIO selectors: every platform. */
    NIO,
    /** Linux epoll through Netty's native library (the {@code netty-transport-native-epoll} jar for the platform). */
    EPOLL;

    /** Returns {@link #EPOLL} where Netty's native epoll library loads, else {@link #NIO}. */
    public static Transport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /**
     * Parses a command-line name: {@code nio}, {@code epoll}, or {@code auto} for {@link #best()}.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Transport parse(String name) {
        String upper = name.trim().toUpperCase(Locale.ROOT);
        return upper.equals("AUTO") ? best() : valueOf(upper);
    }

    /**
     * Returns the factory of this transport's event-loop I/O handlers, for a {@code MultiThreadIoEventLoopGroup}.
     *
     * @throws IllegalStateException if this is {@link #EPOLL} and epoll is unavailable here
     */
    public IoHandlerFactory ioHandlerFactory() {
        if (this == NIO) {
            return NioIoHandler.newFactory();
        }
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("epoll is unavailable here", Epoll.unavailabilityCause());
        }
        return EpollIoHandler.newFactory();
    }

    /** Returns this transport's server channel class, for {@code ServerBootstrap.channel}. */
    public Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** Returns the name in lower case, as given on the command line. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
