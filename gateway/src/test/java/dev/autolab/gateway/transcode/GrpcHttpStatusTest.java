package dev.autolab.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.grpc.Status.Code;

class GrpcHttpStatusTest {
    /** google/rpc/code.proto's HTTP mapping, code by code: a new or moved code fails here. */
    private static final Map<Code, Integer> TABLE = new EnumMap<>(Map.ofEntries(
            Map.entry(Code.OK, 200),
            Map.entry(Code.CANCELLED, 499),
            Map.entry(Code.UNKNOWN, 500),
            Map.entry(Code.INVALID_ARGUMENT, 400),
            Map.entry(Code.DEADLINE_EXCEEDED, 504),
            Map.entry(Code.NOT_FOUND, 404),
            Map.entry(Code.ALREADY_EXISTS, 409),
            Map.entry(Code.PERMISSION_DENIED, 403),
            Map.entry(Code.RESOURCE_EXHAUSTED, 429),
            Map.entry(Code.FAILED_PRECONDITION, 400),
            Map.entry(Code.ABORTED, 409),
            Map.entry(Code.OUT_OF_RANGE, 400),
            Map.entry(Code.UNIMPLEMENTED, 501),
            Map.entry(Code.INTERNAL, 500),
            Map.entry(Code.UNAVAILABLE, 503),
            Map.entry(Code.DATA_LOSS, 500),
            Map.entry(Code.UNAUTHENTICATED, 401)));

    @Test
    void everyCodeHasItsStandardHttpStatus() {
        assertEquals(Code.values().length, TABLE.size(), "the table covers every gRPC code");
        for (Code code : Code.values()) {
            assertEquals(TABLE.get(code), GrpcHttpStatus.httpStatus(code), code.name());
        }
    }

    @Test
    void wireValuesMapLikeTheirCodes() {
        for (Code code : Code.values()) {
            assertEquals(GrpcHttpStatus.httpStatus(code), GrpcHttpStatus.httpStatus(code.value()), code.name());
            assertEquals(code, GrpcHttpStatus.code(code.value()));
        }
    }

    @Test
    void aWireValueNoCodeHasIsAServerError() {
        // A service sending code 99 is broken, not the client: UNKNOWN, 500.
        assertEquals(Code.UNKNOWN, GrpcHttpStatus.code(99));
        assertEquals(500, GrpcHttpStatus.httpStatus(99));
        assertEquals(500, GrpcHttpStatus.httpStatus(-1));
    }
}
