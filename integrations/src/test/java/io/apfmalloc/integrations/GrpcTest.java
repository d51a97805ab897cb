package io.apfmalloc.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.apfmalloc.netty.ApfByteBufAllocator;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.netty.channel.ChannelOption;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The gRPC recipe (docs/INTEGRATIONS.md): grpc-netty (the unshaded transport) with our allocator on the server's
 * connections ({@code NettyServerBuilder.withChildOption}) and the client's ({@code NettyChannelBuilder.withOption}),
 * a bidirectional streaming call moving 6 MiB each way, every message checked, and our allocator's metric showing
 * gRPC's event loops allocated the traffic. The method is described by hand with a byte-array marshaller, so no
 * protoc is needed.
 *
 * <p>What gRPC leaves on another allocator: without these options its channels use the pooled allocator of
 * {@code io.grpc.netty.Utils} (its own {@code PooledByteBufAllocator}, not Netty's default); the options replace it
 * because gRPC applies the user's options after its own. Messages are marshalled to and from {@code InputStream}s, so
 * a message's bytes are copied between the Java heap (protobuf objects, here byte arrays) and our buffers.
 * {@code grpc-netty-shaded} cannot take this allocator at all: its Netty is relocated to
 * {@code io.grpc.netty.shaded.io.netty}, so its {@code ByteBufAllocator} is another type.
 */
class GrpcTest {
    private static final long TIMEOUT_SECONDS = 30;
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<byte[], byte[]> ECHO = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
        .setFullMethodName(MethodDescriptor.generateFullMethodName("apfmalloc.Echo", "Stream"))
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();

    @Test
    void aStreamingCallMovesSixMebibytesEachWayOnOurAllocator() throws Exception {
        ApfByteBufAllocator allocator = new ApfByteBufAllocator(true);
        List<byte[]> messages = AllocatorTraffic.randomBodies(3, 1, 100, 4 << 10, 64 << 10, 256 << 10, 700 << 10,
            1 << 20, 1 << 20, 1 << 20, 2 << 20);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .withOption(ChannelOption.ALLOCATOR, allocator)        // the listening channel
            .withChildOption(ChannelOption.ALLOCATOR, allocator)   // every accepted connection
            .maxInboundMessageSize(4 << 20)
            .addService(ServerServiceDefinition.builder("apfmalloc.Echo")
                .addMethod(ECHO, ServerCalls.asyncBidiStreamingCall(GrpcTest::echo)).build())
            .build().start();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
            .usePlaintext()
            .withOption(ChannelOption.ALLOCATOR, allocator)
            .maxInboundMessageSize(4 << 20)
            .build();
        try {
            List<byte[]> received = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> completed = new CompletableFuture<>();
            StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(
                channel.newCall(ECHO, CallOptions.DEFAULT), new StreamObserver<>() {
                    @Override
                    public void onNext(byte[] message) {
                        received.add(message);
                    }

                    @Override
                    public void onError(Throwable error) {
                        completed.completeExceptionally(error);
                    }

                    @Override
                    public void onCompleted() {
                        completed.complete(null);
                    }
                });
            messages.forEach(requests::onNext);
            requests.onCompleted();
            completed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

            assertThat(received).hasSize(messages.size());
            for (int i = 0; i < messages.size(); i++) {
                assertThat(received.get(i)).as("message %d of %d bytes", i, messages.get(i).length)
                    .isEqualTo(messages.get(i));
            }
            // gRPC's shared event loops are named grpc-nio-worker-ELG-…, server and client alike.
            AllocatorTraffic.assertEventLoopsAllocated(allocator, "grpc-", messages.size());
        } finally {
            channel.shutdownNow().awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        AllocatorTraffic.assertAllReleased(allocator);
    }

    /** The service: answers every message with itself, and completes when the client does. */
    private static StreamObserver<byte[]> echo(StreamObserver<byte[]> responses) {
        return new StreamObserver<>() {
            @Override
            public void onNext(byte[] message) {
                responses.onNext(message);
            }

            @Override
            public void onError(Throwable error) {
                responses.onError(error);
            }

            @Override
            public void onCompleted() {
                responses.onCompleted();
            }
        };
    }
}
