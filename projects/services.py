"""Writes to projects and memberships, shared by the API and admin.

A project always keeps its owner as an owner member: the owner is who the
task queue and deployments answer to, so the rules below refuse to demote
or remove them instead of leaving a project nobody can manage.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from .models import Membership, Project, Role


def project_create(*, user, name: str, slug: str = "", description: str = "") -> Project:
    """Create a project; its creator becomes its owner (and an owner member)."""
    project = Project(name=name, slug=slug or slugify(name)[:80], description=description, owner=user)
    project.full_clean(exclude=["task_queue"])
    with transaction.atomic():
        project.save()
        ensure_owner_membership(project)
    return project


def ensure_owner_membership(project: Project) -> None:
    """The project's owner is always an owner member (admin may change `owner`)."""
    Membership.objects.update_or_create(project=project, user=project.owner, defaults={"role": Role.OWNER})


def membership_set(*, project: Project, user, role: str) -> Membership:
    """Add a member or change their role; the project owner stays an owner."""
    if role not in Role.values:
        raise ValidationError({"role": f"Role must be one of: {', '.join(Role.values)}."})
    if user.pk == project.owner_id and role != Role.OWNER:
        raise ValidationError({"role": f"{user} owns {project.name} and stays an owner."})
    membership, _ = Membership.objects.update_or_create(project=project, user=user, defaults={"role": role})
    return membership


def membership_remove(*, membership: Membership) -> None:
    if membership.user_id == membership.project.owner_id:
        raise ValidationError(f"{membership.user} owns {membership.project.name} and cannot be removed.")
    membership.delete()
