package dev.autolab.cli.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What is stored for one host: the credential, who it is, and the current project. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HostEntry {
    public String token;
    public String handle;
    public String tokenId;
    public String tokenName;
    /** {@code login} or {@code pat}. */
    public String kind;
    /** True when this CLI minted the token by browser login: logout then revokes it server-side. */
    public Boolean mintedByLogin;

    public String project;
}
