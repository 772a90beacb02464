package dev.autolab.gateway.transcode;

import io.vertx.ext.web.RoutingContext;

/**
 * A credential a REST call carries other than its {@code Authorization} header, registered by the feature
 * that issues it ({@code web/}: the browser session cookie, when this request may use it).
 */
public interface CallerCredential {
    /** The {@code authorization} value to send upstream, or null when this request carries none. */
    String authorization(RoutingContext ctx);
}
