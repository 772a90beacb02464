package dev.autolab.gateway.route;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.api.AnnotationsProto;
import com.google.api.HttpProto;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.EmptyProto;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.TimestampProto;

/**
 * Reads {@code META-INF/grpc/autolab.dsc} from the proto jar. The set holds only our own files, so
 * imports (google/api, google/protobuf) resolve from the compiled classes; the registry makes
 * {@code google.api.http} readable as a typed option.
 */
public final class DescriptorLoader {
    public static final String RESOURCE = "META-INF/grpc/autolab.dsc";

    private DescriptorLoader() {}

    public static List<FileDescriptor> load() {
        ExtensionRegistry registry = ExtensionRegistry.newInstance();
        AnnotationsProto.registerAllExtensions(registry);
        FileDescriptorSet set;
        try (InputStream in = DescriptorLoader.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path: is autolab-proto a dependency?");
            }
            set = FileDescriptorSet.parseFrom(in, registry);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
        Map<String, FileDescriptor> known = new HashMap<>();
        for (FileDescriptor builtIn : List.of(
                AnnotationsProto.getDescriptor(),
                HttpProto.getDescriptor(),
                TimestampProto.getDescriptor(),
                EmptyProto.getDescriptor(),
                DescriptorProtos.getDescriptor())) {
            known.put(builtIn.getName(), builtIn);
        }
        Map<String, FileDescriptorProto> pending = new HashMap<>();
        set.getFileList().forEach(f -> pending.put(f.getName(), f));
        List<FileDescriptor> ours = new ArrayList<>();
        for (FileDescriptorProto file : set.getFileList()) {
            ours.add(build(file.getName(), pending, known));
        }
        return ours;
    }

    private static FileDescriptor build(
            String name, Map<String, FileDescriptorProto> pending, Map<String, FileDescriptor> known) {
        FileDescriptor done = known.get(name);
        if (done != null) {
            return done;
        }
        FileDescriptorProto proto = pending.get(name);
        if (proto == null) {
            throw new IllegalStateException("descriptor set imports " + name + ", which the gateway does not know");
        }
        List<FileDescriptor> deps = new ArrayList<>();
        for (String dep : proto.getDependencyList()) {
            deps.add(build(dep, pending, known));
        }
        try {
            FileDescriptor built = FileDescriptor.buildFrom(proto, deps.toArray(FileDescriptor[]::new));
            known.put(name, built);
            return built;
        } catch (DescriptorValidationException e) {
            throw new IllegalStateException("invalid descriptor " + name + ": " + e.getMessage(), e);
        }
    }
}
