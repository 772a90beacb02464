package dev.autolab.common.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import com.google.rpc.ErrorInfo;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

class StatusMapperTest {

    @Test
    void refusalsKeepTheirCodeAndHumanMessage() {
        StatusRuntimeException s = StatusMapper.toStatus(Errors.notFound("project alice/x not found"));
        assertEquals(Status.Code.NOT_FOUND, s.getStatus().getCode());
        assertEquals("project alice/x not found", s.getStatus().getDescription());
        assertEquals(0, StatusProto.fromThrowable(s).getDetailsCount());
    }

    @Test
    void reasonsTravelAsErrorInfo() throws Exception {
        StatusRuntimeException s = StatusMapper.toStatus(Errors.withReason(
                Status.Code.FAILED_PRECONDITION, "authorization_pending", "authorization_pending: wait"));
        com.google.rpc.Status detailed = StatusProto.fromThrowable(s);
        assertEquals(Status.Code.FAILED_PRECONDITION.value(), detailed.getCode());
        ErrorInfo info = detailed.getDetails(0).unpack(ErrorInfo.class);
        assertEquals("authorization_pending", info.getReason());
        assertEquals(StatusMapper.ERROR_DOMAIN, info.getDomain());
    }

    @Test
    void wrappedRefusalsAreUnwrapped() {
        StatusRuntimeException s = StatusMapper.toStatus(new CompletionException(Errors.alreadyExists("taken")));
        assertEquals(Status.Code.ALREADY_EXISTS, s.getStatus().getCode());
    }

    @Test
    void statusExceptionsPassThroughUnchanged() {
        StatusRuntimeException original =
                Status.DEADLINE_EXCEEDED.withDescription("slow").asRuntimeException();
        assertSame(original, StatusMapper.toStatus(original));
    }

    @Test
    void unexpectedFailuresBecomeInternalWithoutTheirMessage() {
        StatusRuntimeException s = StatusMapper.toStatus(new IllegalStateException("password=hunter2 leaked"));
        assertEquals(Status.Code.INTERNAL, s.getStatus().getCode());
        assertFalse(s.getStatus().getDescription().contains("hunter2"));
        assertTrue(s.getStatus().getDescription().startsWith("internal error (incident "));
    }
}
