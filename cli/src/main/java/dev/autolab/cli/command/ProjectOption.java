package dev.autolab.cli.command;

import picocli.CommandLine.Option;

/** {@code --project OWNER/NAME}, shared by the commands that act on one project; defaults to the current one. */
public final class ProjectOption {
    @Option(names = "--project", paramLabel = "OWNER/NAME", description = "Default: the current project.")
    String project;

    /** The project this command acts on (a usage error when there is none). */
    String resolve(Target target) {
        return target.project(project);
    }
}
