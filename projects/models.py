"""Projects group workflows, own a Temporal task queue and decide who may do what."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.text import slugify


def task_queue_name(project_uuid: uuid.UUID, slug: str) -> str:
    """`<uuid8>-<slug>-queue`: unique per project, readable in the Temporal UI."""
    return f"{id_prefix_of(project_uuid)}-{slug}-queue"


def id_prefix_of(project_uuid: uuid.UUID) -> str:
    """The first eight hex digits of a project's uuid: its task queue and workflow ids start with them."""
    return project_uuid.hex[:8]


class Project(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task_queue = models.CharField(max_length=200, unique=True, editable=False)
    # Every Temporal workflow id of the project starts with these digits
    # (compiler/runtime/project_ids.py): the database keeps them unique, so
    # two projects can never share a scope, however unlikely the collision.
    id_prefix = models.CharField(max_length=8, unique=True, editable=False)
    namespace = models.CharField(max_length=120, default="default")
    description = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_projects")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        if not self.id_prefix:
            while Project.objects.filter(id_prefix=id_prefix_of(self.uuid)).exists():
                self.uuid = uuid.uuid4()
            self.id_prefix = id_prefix_of(self.uuid)
        if not self.task_queue:
            self.task_queue = task_queue_name(self.uuid, self.slug)
        super().save(*args, **kwargs)

    @property
    def deployment_name(self) -> str:
        """`<uuid8>-<slug>`, like the task queue: names the project's Worker Deployment and its schedules."""
        return self.task_queue.removesuffix("-queue")


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"


# What each role may do; a role includes everything of the roles below it.
ROLE_RANK = {Role.VIEWER: 1, Role.EDITOR: 2, Role.OWNER: 3}


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="unique_membership"),
            models.CheckConstraint(condition=models.Q(role__in=[r.value for r in Role]), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.project} ({self.role})"

    def allows(self, role: str) -> bool:
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(role)]
