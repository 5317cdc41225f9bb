"""Deployments: immutable builds of a project's generated workflow code.

A `Deployment` row is the only place a worker reads code from: its `sources`
are materialised on each worker machine (keyed by `build_id`), so workers on
any machine run exactly what was deployed. Sources and build id never change
after the row is written; only the lifecycle (`status`) moves on, through the
methods below.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from projects.models import Project
from workflows.models import Revision, Workflow


class DeploymentStatus(models.TextChoices):
    # Stored and chosen as the newest build; Temporal does not route to it yet
    # (no worker of this build has polled). The worker makes it current.
    PENDING = "pending", "Pending"
    # Temporal's current version: new runs start on this build.
    CURRENT = "current", "Current"
    # Replaced by a newer build; keeps serving the runs pinned to it.
    DRAINING = "draining", "Draining"
    # No running executions left (or never became current); no worker serves it.
    RETIRED = "retired", "Retired"
    # Its sources could not be loaded by a worker; see `report`.
    FAILED = "failed", "Failed"


ACTIVE_STATUSES = (DeploymentStatus.PENDING, DeploymentStatus.CURRENT, DeploymentStatus.DRAINING)
IMMUTABLE_FIELDS = ("project_id", "build_id", "sources")


class ImmutableDeployment(Exception):
    """Someone tried to change what a deployment contains."""


class Deployment(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="deployments")
    build_id = models.CharField(max_length=40, help_text="Content hash of the generated sources.")
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sources = models.JSONField(help_text="Generated module source per workflow identifier.")
    status = models.CharField(max_length=10, choices=DeploymentStatus.choices, default=DeploymentStatus.PENDING)
    diagnostics = models.JSONField(default=dict, blank=True, help_text="Compile warnings per workflow.")
    changed = models.JSONField(
        default=dict, blank=True, help_text="Per workflow: added / changed / removed / unchanged."
    )
    replay_report = models.JSONField(
        default=dict, blank=True, help_text="Running executions replayed against this build."
    )
    report = models.JSONField(default=dict, blank=True, help_text="What workers said about this build.")
    status_changed = models.DateTimeField(auto_now=True)
    # When this build was last deployed: a rollback to an earlier build reuses
    # its row (same sources, same build id) and makes it the newest again.
    deployed = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["project", "-deployed", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "build_id"], name="unique_build_per_project"),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in DeploymentStatus]), name="deployment_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.slug} build {self.build_id} ({self.status})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            stored = Deployment.objects.filter(pk=self.pk).values(*IMMUTABLE_FIELDS).first()
            if stored and any(stored[name] != getattr(self, name) for name in IMMUTABLE_FIELDS):
                raise ImmutableDeployment(
                    f"Deployment {self.build_id} is immutable: deploy again to ship different code."
                )
        super().save(*args, **kwargs)

    @property
    def workflow_identifiers(self) -> list[str]:
        return sorted(self.sources)

    def set_status(self, status: DeploymentStatus, **report) -> None:
        """Move the lifecycle on (and merge `report` entries); never touches the code."""
        self.status = status
        if report:
            self.report = {**self.report, **report}
        super().save(update_fields=["status", "report", "status_changed"])

    def move(self, expected: DeploymentStatus, status: DeploymentStatus) -> bool:
        """Change the status only if it is still `expected` (another process may have moved it)."""
        now = timezone.now()
        moved = Deployment.objects.filter(pk=self.pk, status=expected).update(status=status, status_changed=now)
        if moved:
            self.status, self.status_changed = status, now
        return bool(moved)

    def redeploy(self, *, changed: dict, replay_report: dict, diagnostics: dict) -> None:
        """Deploy this build again (a rollback): pending and newest, with this deploy's reports."""
        self.status = DeploymentStatus.PENDING
        self.deployed = timezone.now()
        self.changed, self.replay_report, self.diagnostics = changed, replay_report, diagnostics
        self.save(update_fields=["status", "deployed", "changed", "replay_report", "diagnostics", "status_changed"])

    def promote(self) -> bool:
        """Record that Temporal now routes new runs to this build.

        The previous current build starts draining; older pending builds that
        never became current are retired (no run can be pinned to them).
        Returns False, changing nothing, when the build is no longer pending
        in the database (another worker or the deploy promoted it first, or it
        was retired) or a newer build was promoted first: several workers
        promote the same build, and only one of them may.
        """
        with transaction.atomic():
            siblings = Deployment.objects.select_for_update().filter(project_id=self.project_id)
            # Lock every build of the project, not just the rows a filter finds, so promotions take turns.
            statuses = dict(siblings.values_list("pk", "status"))
            newer_current = siblings.filter(status=DeploymentStatus.CURRENT, deployed__gt=self.deployed).exists()
            if newer_current or statuses.get(self.pk) != DeploymentStatus.PENDING:
                return False
            now = timezone.now()
            siblings.filter(status=DeploymentStatus.CURRENT).exclude(pk=self.pk).update(
                status=DeploymentStatus.DRAINING, status_changed=now
            )
            siblings.filter(status=DeploymentStatus.PENDING, deployed__lt=self.deployed).update(
                status=DeploymentStatus.RETIRED, status_changed=now
            )
            self.set_status(DeploymentStatus.CURRENT)
        return True


class BuildGraph(models.Model):
    """One workflow of a build: the revision chosen for it and the document it was compiled from.

    The document, not the live draft, is the graph of every run on this build
    (input and signal checks, the run canvas, schedules), so editing the draft
    changes nothing that runs until the next deploy. The revision and the
    workflow are kept as links for the editor and the builds page; they may
    be deleted later (SET_NULL), the number and the document stay.
    """

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="graphs")
    identifier = models.CharField(max_length=Workflow._meta.get_field("identifier").max_length)
    workflow = models.ForeignKey(Workflow, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revision = models.ForeignKey(Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revision_number = models.PositiveIntegerField(help_text="The workflow's version when the revision was chosen.")
    document = models.JSONField(help_text="The workflow document (workflows/documents.py) compiled into this build.")

    class Meta:
        ordering = ["deployment", "identifier"]
        constraints = [
            models.UniqueConstraint(fields=["deployment", "identifier"], name="one_graph_per_workflow_per_build"),
        ]

    def __str__(self) -> str:
        return f"{self.identifier} r{self.revision_number} in {self.deployment.build_id}"


def newest_deployment(project: Project) -> Deployment | None:
    """The build new runs get (or will get, once a worker has polled it)."""
    return (
        Deployment.objects.filter(project=project, status__in=[DeploymentStatus.PENDING, DeploymentStatus.CURRENT])
        .order_by("-deployed", "-pk")
        .first()
    )
