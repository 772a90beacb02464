package dev.autolab.cli.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.autolab.cli.client.ApiClient;
import dev.autolab.cli.config.HostEntry;
import dev.autolab.cli.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "project",
        mixinStandardHelpOptions = true,
        description = "Create, list and choose projects; manage their members.",
        subcommands = {
            ProjectCommand.Create.class,
            ProjectCommand.Ls.class,
            ProjectCommand.Use.class,
            ProjectCommand.Members.class
        },
        footer = {
            "",
            "Examples:",
            "  autolab project create nanochat",
            "  autolab project ls",
            "  autolab project use alice/nanochat",
            "  autolab project members add bob --role researcher"
        })
public class ProjectCommand {

    private static String membersPath(String project) {
        return "/v1/projects/" + ApiClient.projectPath(project) + "/members";
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create a project under your handle; you become its owner.",
            footer = {"", "Examples:", "  autolab project create nanochat"})
    public static class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "Short name (nanochat) or your-handle/name.")
        String name;

        @Override
        public Integer call() {
            Target target = Target.of(spec);
            Terminal term = target.terminal();
            Json project = target.api().post("/v1/projects", ApiClient.object().put("name", name));
            String created = Formats.text(project.path("name"));
            term.println(created);
            term.say("Created project " + created + "; make it current with `autolab project use " + created + "`.");
            return 0;
        }
    }

    @Command(
            name = "ls",
            mixinStandardHelpOptions = true,
            description = "List the projects you are a member of.",
            footer = {"", "Examples:", "  autolab project ls", "  autolab project ls --json"})
    public static class Ls implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() {
            Target target = Target.of(spec);
            Terminal term = target.terminal();
            Json projects = target.api().get("/v1/projects").path("projects");
            if (json) {
                term.printJson(projects);
                return 0;
            }
            String current = target.projectOrNull();
            List<List<String>> rows = new ArrayList<>();
            for (Json p : projects) {
                String name = p.path("name").asText();
                rows.add(List.of(
                        name.equals(current) ? "*" : " ",
                        name,
                        Formats.enumName(p.path("role"), "ROLE_", "-"),
                        Formats.ago(p.path("createdAt"), "-", term.now())));
            }
            if (rows.isEmpty()) {
                term.say("No projects. Create one with `autolab project create NAME`.");
                return 0;
            }
            term.print(Formats.table(List.of(" ", "PROJECT", "ROLE", "CREATED"), rows));
            return 0;
        }
    }

    @Command(
            name = "use",
            mixinStandardHelpOptions = true,
            description = "Make a project the current one for this host.",
            footer = {"", "Examples:", "  autolab project use alice/nanochat"})
    public static class Use implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "OWNER/NAME")
        String project;

        @Override
        public Integer call() {
            Target target = Target.of(spec);
            Terminal term = target.terminal();
            if (!project.matches("[^/]+/[^/]+")) {
                throw new UsageError("write the project as OWNER/NAME, e.g. alice/nanochat");
            }
            Json found = target.api().get("/v1/projects/" + ApiClient.projectPath(project));
            HostEntry stored = target.stored();
            if (stored == null) {
                throw new UsageError("log in first (`autolab login`): the current project is stored with your login");
            }
            stored.project = found.path("name").asText();
            target.save(stored);
            term.say("Now using " + Sanitize.line(stored.project) + " (you are "
                    + Formats.enumName(found.path("role"), "ROLE_", "-") + ").");
            return 0;
        }
    }

    @Command(
            name = "members",
            mixinStandardHelpOptions = true,
            description = "List a project's members, or add and remove them.",
            subcommands = {Members.Add.class, Members.Rm.class},
            footer = {
                "",
                "Examples:",
                "  autolab project members",
                "  autolab project members --project alice/nanochat --json",
                "  autolab project members add bob --role researcher",
                "  autolab project members rm bob"
            })
    public static class Members implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ProjectOption project;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() {
            Target target = Target.of(spec);
            Terminal term = target.terminal();
            String p = project.resolve(target);
            Json members = target.api().get(membersPath(p)).path("members");
            if (json) {
                term.printJson(members);
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (Json m : members) {
                rows.add(List.of(
                        m.path("handle").asText(),
                        m.path("displayName").asText(),
                        Formats.enumName(m.path("role"), "ROLE_", "-"),
                        Formats.day(m.path("addedAt"), "-")));
            }
            term.print(Formats.table(List.of("HANDLE", "NAME", "ROLE", "ADDED"), rows));
            return 0;
        }

        @Command(
                name = "add",
                mixinStandardHelpOptions = true,
                description = "Add a member, or change a member's role (admin or owner only).",
                footer = {"", "Examples:", "  autolab project members add bob --role researcher"})
        public static class Add implements Callable<Integer> {
            @Spec
            CommandSpec spec;

            @Mixin
            ProjectOption project;

            @Parameters(paramLabel = "HANDLE")
            String handle;

            @Option(
                    names = "--role",
                    required = true,
                    paramLabel = "ROLE",
                    description = "viewer, researcher or admin.")
            String role;

            @Override
            public Integer call() {
                Target target = Target.of(spec);
                Terminal term = target.terminal();
                String r = role.toLowerCase(Locale.ROOT);
                if (!List.of("viewer", "researcher", "admin").contains(r)) {
                    throw new UsageError("--role must be viewer, researcher or admin, not \"" + role + "\"");
                }
                String p = project.resolve(target);
                Json member = target.api()
                        .put(
                                membersPath(p) + "/" + ApiClient.segment(handle),
                                ApiClient.object().put("role", "ROLE_" + r.toUpperCase(Locale.ROOT)));
                term.say(Formats.text(member.path("handle")) + " is now "
                        + Formats.enumName(member.path("role"), "ROLE_", "-") + " on " + p + ".");
                return 0;
            }
        }

        @Command(
                name = "rm",
                mixinStandardHelpOptions = true,
                description = "Remove a member (admin or owner; anyone may remove themself).",
                footer = {"", "Examples:", "  autolab project members rm bob"})
        public static class Rm implements Callable<Integer> {
            @Spec
            CommandSpec spec;

            @Mixin
            ProjectOption project;

            @Parameters(paramLabel = "HANDLE")
            String handle;

            @Override
            public Integer call() {
                Target target = Target.of(spec);
                Terminal term = target.terminal();
                String p = project.resolve(target);
                target.api().delete(membersPath(p) + "/" + ApiClient.segment(handle));
                term.say("Removed " + Sanitize.line(handle) + " from " + Sanitize.line(p) + ".");
                return 0;
            }
        }
    }
}
