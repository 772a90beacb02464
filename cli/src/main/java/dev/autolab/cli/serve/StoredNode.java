package dev.autolab.cli.serve;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What {@code serve} keeps between runs for one (host, project): the node and its own credential.
 * Never the token that registered it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class StoredNode {
    public String host;
    public String project;
    public String nodeId;
    /** The name the node reported (RegisterNodeRequest.hostname). */
    public String name;

    public Map<String, String> labels = new TreeMap<>();
    /** The node credential ({@code aln_…}). */
    public String credential;

    public int heartbeatIntervalSeconds;

    /** Whether this registration reported {@code name} and {@code labels}. */
    boolean describes(String otherName, Map<String, String> otherLabels) {
        return otherName.equals(name) && new TreeMap<>(otherLabels).equals(new TreeMap<>(labels));
    }
}
