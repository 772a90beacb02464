package dev.autolab.cli.command;

import java.util.concurrent.Callable;

import dev.autolab.cli.client.ApiClient;
import dev.autolab.cli.client.ApiException;
import dev.autolab.cli.client.UnreachableException;
import dev.autolab.cli.config.HostEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "logout",
        mixinStandardHelpOptions = true,
        description = "Remove the stored token for this host; a token minted by browser login "
                + "is also revoked on the server.",
        footer = {"", "Examples:", "  autolab logout", "  autolab logout --host https://autolab.example.org"})
public class LogoutCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Target target = Target.of(spec);
        Terminal term = target.terminal();
        HostEntry stored = target.stored();
        if (stored == null) {
            term.say("Not logged in to " + target.host() + "; nothing to do.");
            return 0;
        }
        if (Boolean.TRUE.equals(stored.mintedByLogin) && stored.tokenId != null) {
            try {
                new ApiClient(target.host(), stored.token).delete("/v1/tokens/" + ApiClient.segment(stored.tokenId));
            } catch (ApiException e) {
                if (e.grpcCode() != 16 && e.grpcCode() != 5) { // already revoked or expired: fine
                    term.say("warning: could not revoke the login token on the server (" + Sanitize.line(e.getMessage())
                            + ")");
                }
            } catch (UnreachableException e) {
                term.say("warning: " + Sanitize.line(e.getMessage()) + "; the token " + Sanitize.line(stored.tokenName)
                        + " (id "
                        + stored.tokenId.substring(0, 8) + ") is still valid: revoke it later with "
                        + "`autolab token revoke " + stored.tokenId.substring(0, 8) + "`");
            }
        }
        target.forget();
        term.say("Logged out of " + target.host() + ".");
        return 0;
    }
}
