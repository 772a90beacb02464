package dev.autolab.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import dev.autolab.common.auth.CachingTokenValidator;
import dev.autolab.common.auth.Principal;
import dev.autolab.common.token.TokenCodec;
import dev.autolab.common.token.TokenType;
import dev.autolab.proto.auth.v1.TokenKind;
import io.smallrye.mutiny.Uni;

/**
 * The path every authenticated call takes when its token is cached: format and checksum check,
 * cache lookup, expiry check (what BearerAuthInterceptor does before admitting the call).
 * One thread, so the figure is per core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class CachedValidationBenchmark {
    private CachingTokenValidator cache;
    private String[] tokens;
    private int next;

    @Setup
    public void fill() {
        cache = new CachingTokenValidator(
                token -> Uni.createFrom()
                        .item(new Principal("user", "alice", "id", "laptop", TokenKind.TOKEN_KIND_PAT, null)),
                Duration.ofMinutes(10),
                100_000);
        tokens = new String[1024];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = TokenCodec.mint(TokenType.PERSONAL);
            cache.validate(tokens[i]).await().indefinitely();
        }
    }

    @Benchmark
    public Principal cachedValidation() {
        String token = tokens[next++ & (tokens.length - 1)];
        if (TokenCodec.typeOf(token) == null) {
            throw new IllegalStateException("malformed");
        }
        Principal p = cache.cachedOrNull(token);
        if (p == null || p.isExpired(Instant.now())) {
            throw new IllegalStateException("not cached");
        }
        return p;
    }
}
