package dev.autolab.gateway.transcode;

import io.vertx.ext.web.RoutingContext;

/**
 * What one method's successful REST answer does besides its JSON body, registered by the feature that
 * needs it (a bean: the transcoder collects them at start). The transcoder itself knows no service or
 * method: {@code web/} sets the browser's session cookie on sign-in this way.
 */
public interface ResponseHook {
    /** The gRPC method, {@code package.Service/Method}; it must have a REST route, or the gateway does not start. */
    String fullMethodName();

    /** Called with the response bytes before the JSON answer is written; may add headers or cookies. */
    void onSuccess(RoutingContext ctx, byte[] response) throws Exception;
}
