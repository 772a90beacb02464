package dev.autolab.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.Test;

import dev.autolab.gateway.fake.FakeAuthService;
import dev.autolab.gateway.fake.Http;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.ext.web.Router;

/** An unexpected failure is a 500 naming an incident id, and the log has the same id with the cause. */
@QuarkusTest
@WithTestResource(FakeAuthService.class)
class IncidentTest {
    /** A route with a bug, installed for this test only. */
    @Singleton
    static class Buggy {
        void install(@Observes Router router) {
            router.get("/test-only/bug").order(-85).handler(ctx -> {
                throw new IllegalStateException("a bug with a secret-looking detail al_xxx");
            });
        }
    }

    @Test
    void anUnexpectedFailureIsLoggedWithTheIncidentIdItAnswers() throws Exception {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger(Failures.class.getName());
        logger.addHandler(capture);
        try {
            HttpResponse<String> reply = Http.send("GET", "/test-only/bug", null);
            assertEquals(500, reply.statusCode());
            Matcher m = Pattern.compile("\\{\"code\":13,\"message\":\"internal error \\(incident ([0-9a-f]{8})\\); the"
                            + " gateway log has the details\"}")
                    .matcher(reply.body());
            assertTrue(m.matches(), reply.body());
            String id = m.group(1);
            assertTrue(
                    records.stream()
                            .anyMatch(r -> r.getMessage() != null
                                    && String.format(
                                                    r.getMessage().replace("%s", "%s"),
                                                    r.getParameters() == null ? new Object[0] : r.getParameters())
                                            .startsWith("internal error " + id)
                                    && r.getThrown() instanceof IllegalStateException),
                    "no log line for incident " + id);
            assertTrue(!reply.body().contains("al_xxx"), "the cause leaked into the answer");
        } finally {
            logger.removeHandler(capture);
        }
    }
}
