"""POST /api/projects/<slug>/deploy/: deploy the project's chosen revisions, or roll back to an earlier build.

The same service as the editor's button and `manage.py deploy`
(compiler.builds.deploy): each workflow ships its draft when it validates,
else keeps its deployed revision; `strict` refuses on any draft error;
`build` rolls back to that build. 201 for a new build, 200 when an existing
one became the newest (or nothing changed), 400 when nothing was deployed
(the body says why, per workflow), 503 when Temporal cannot be reached.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from compiler.builds.deploy import DeployResult, deploy_project, rollback_project
from projects.api_base import PROJECT_SLUG
from workflows.api.runs import UNAVAILABLE, RunErrorsMixin


class DeployRequestSerializer(serializers.Serializer):
    strict = serializers.BooleanField(required=False, default=False, help_text="Refuse if any draft has errors.")
    build = serializers.RegexField(
        r"^[0-9a-f]{1,40}$", required=False, allow_blank=True, default="", help_text="Roll back to this build id."
    )


class DeployResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    message = serializers.CharField()
    build_id = serializers.CharField(allow_null=True)
    status = serializers.CharField(allow_null=True)
    created = serializers.BooleanField()
    workflows = serializers.ListField(child=serializers.CharField(), help_text="What the build took per workflow.")
    changed = serializers.DictField(child=serializers.CharField())
    diagnostics = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    replay = serializers.ListField(child=serializers.CharField())
    schedules = serializers.ListField(child=serializers.CharField())


def deploy_data(result: DeployResult) -> dict:
    return {
        "ok": result.ok,
        "message": result.message,
        "build_id": result.deployment.build_id if result.deployment else None,
        "status": result.deployment.status if result.deployment else None,
        "created": result.created,
        "workflows": result.workflows,
        "changed": result.changed,
        "diagnostics": {i: [d.line() for d in found] for i, found in sorted(result.diagnostics.items())},
        "replay": result.replay_report.lines(),
        "schedules": result.schedules,
    }


@extend_schema(parameters=[PROJECT_SLUG])
class DeployView(RunErrorsMixin, APIView):
    @extend_schema(
        request=DeployRequestSerializer,
        responses={
            201: DeployResultSerializer,
            200: DeployResultSerializer,
            400: DeployResultSerializer,
            503: UNAVAILABLE,
        },
    )
    def post(self, request, project_slug: str):
        data = self.validated(DeployRequestSerializer)
        if data["build"]:
            result = rollback_project(self.project, request.user, data["build"])
        else:
            result = deploy_project(self.project, request.user, strict=data["strict"])
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(deploy_data(result), status=code if result.ok else status.HTTP_400_BAD_REQUEST)
