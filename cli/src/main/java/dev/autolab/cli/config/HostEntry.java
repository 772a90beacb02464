package dev.autolab.cli.config;

import dev.autolab.cli.json.Json;

/** What is stored for one host: the credential, who it is, and the current project. */
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

    static HostEntry from(Json json) {
        HostEntry entry = new HostEntry();
        entry.token = text(json, "token");
        entry.handle = text(json, "handle");
        entry.tokenId = text(json, "tokenId");
        entry.tokenName = text(json, "tokenName");
        entry.kind = text(json, "kind");
        entry.mintedByLogin =
                json.has("mintedByLogin") ? json.path("mintedByLogin").asBoolean() : null;
        entry.project = text(json, "project");
        return entry;
    }

    Json toJson() {
        Json json = Json.object();
        put(json, "token", token);
        put(json, "handle", handle);
        put(json, "tokenId", tokenId);
        put(json, "tokenName", tokenName);
        put(json, "kind", kind);
        if (mintedByLogin != null) {
            json.put("mintedByLogin", mintedByLogin.booleanValue());
        }
        put(json, "project", project);
        return json;
    }

    private static String text(Json json, String field) {
        Json value = json.path(field);
        return value.isTextual() ? value.asText() : null;
    }

    private static void put(Json json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }
}
