package dev.autolab.auth.api;

import jakarta.inject.Inject;

import com.google.protobuf.Empty;

import dev.autolab.auth.project.ProjectService;
import dev.autolab.auth.project.Role;
import dev.autolab.common.auth.Caller;
import dev.autolab.proto.auth.v1.CreateProjectRequest;
import dev.autolab.proto.auth.v1.DeleteProjectRequest;
import dev.autolab.proto.auth.v1.GetProjectRequest;
import dev.autolab.proto.auth.v1.ListMembersRequest;
import dev.autolab.proto.auth.v1.ListMembersResponse;
import dev.autolab.proto.auth.v1.ListProjectsRequest;
import dev.autolab.proto.auth.v1.ListProjectsResponse;
import dev.autolab.proto.auth.v1.Member;
import dev.autolab.proto.auth.v1.MutinyProjectServiceGrpc;
import dev.autolab.proto.auth.v1.Project;
import dev.autolab.proto.auth.v1.RemoveMemberRequest;
import dev.autolab.proto.auth.v1.SetMemberRequest;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

@GrpcService
public class ProjectGrpc extends MutinyProjectServiceGrpc.ProjectServiceImplBase {
    @Inject
    ProjectService projects;

    @Override
    public Uni<Project> createProject(CreateProjectRequest request) {
        return projects.create(Caller.current(), request.getName()).map(Protos::project);
    }

    @Override
    public Uni<ListProjectsResponse> listProjects(ListProjectsRequest request) {
        return projects.list(Caller.current())
                .map(list -> ListProjectsResponse.newBuilder()
                        .addAllProjects(list.stream().map(Protos::project).toList())
                        .build());
    }

    @Override
    public Uni<Project> getProject(GetProjectRequest request) {
        return projects.get(Caller.current(), request.getProject()).map(Protos::project);
    }

    @Override
    public Uni<Empty> deleteProject(DeleteProjectRequest request) {
        return projects.delete(Caller.current(), request.getProject()).replaceWith(Empty.getDefaultInstance());
    }

    @Override
    public Uni<Member> setMember(SetMemberRequest request) {
        var caller = Caller.current();
        return Uni.createFrom()
                .item(() -> Role.fromProto(request.getRole()))
                .chain(role -> projects.setMember(caller, request.getProject(), request.getHandle(), role))
                .map(Protos::member);
    }

    @Override
    public Uni<Empty> removeMember(RemoveMemberRequest request) {
        return projects.removeMember(Caller.current(), request.getProject(), request.getHandle())
                .replaceWith(Empty.getDefaultInstance());
    }

    @Override
    public Uni<ListMembersResponse> listMembers(ListMembersRequest request) {
        return projects.members(Caller.current(), request.getProject())
                .map(list -> ListMembersResponse.newBuilder()
                        .addAllMembers(list.stream().map(Protos::member).toList())
                        .build());
    }
}
