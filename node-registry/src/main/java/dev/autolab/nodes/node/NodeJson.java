package dev.autolab.nodes.node;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.autolab.proto.nodes.v1.Gpu;
import dev.autolab.proto.nodes.v1.Resources;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Labels and resources as the jsonb columns hold them (readable with psql, unlike proto bytes). */
final class NodeJson {
    private NodeJson() {}

    static String labels(Map<String, String> labels) {
        return new JsonObject(new LinkedHashMap<>(new TreeMap<>(labels))).encode();
    }

    static Map<String, String> labels(String json) {
        Map<String, String> out = new TreeMap<>();
        if (json != null) {
            new JsonObject(json).forEach(e -> out.put(e.getKey(), String.valueOf(e.getValue())));
        }
        return out;
    }

    static String resources(Resources r) {
        JsonArray gpus = new JsonArray();
        r.getGpusList()
                .forEach(g ->
                        gpus.add(new JsonObject().put("model", g.getModel()).put("memory_bytes", g.getMemoryBytes())));
        return new JsonObject()
                .put("cpus", r.getCpus())
                .put("memory_bytes", r.getMemoryBytes())
                .put("gpus", gpus)
                .encode();
    }

    static Resources resources(String json) {
        if (json == null) {
            return Resources.getDefaultInstance();
        }
        JsonObject o = new JsonObject(json);
        Resources.Builder b =
                Resources.newBuilder().setCpus(o.getInteger("cpus", 0)).setMemoryBytes(o.getLong("memory_bytes", 0L));
        JsonArray gpus = o.getJsonArray("gpus", new JsonArray());
        for (int i = 0; i < gpus.size(); i++) {
            JsonObject g = gpus.getJsonObject(i);
            b.addGpus(
                    Gpu.newBuilder().setModel(g.getString("model", "")).setMemoryBytes(g.getLong("memory_bytes", 0L)));
        }
        return b.build();
    }
}
