package dev.autolab.keys.spend;

import dev.autolab.common.auth.Principal;
import dev.autolab.common.error.Errors;

/** A node credential acts for exactly one project. */
final class NodeProjects {
    private NodeProjects() {}

    static String require(Principal node, String project) {
        if (project == null || project.isBlank()) {
            throw Errors.invalidArgument("name the project as OWNER/NAME");
        }
        if (!node.isNode() || node.project() == null || !node.project().equals(project.trim())) {
            throw Errors.permissionDenied(
                    "this node belongs to " + (node.project() == null ? "no project" : node.project())
                            + " and cannot act for " + project.trim());
        }
        return project.trim();
    }
}
