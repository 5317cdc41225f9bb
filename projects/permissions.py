"""Membership checks shared by pages, the API and admin.

A user who is not a member of a project must not learn that it exists, so
lookups of another project's objects raise Http404, not 403. A member whose
role is too low gets PermissionDenied (403): they can already see it.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import Membership, Project, Role


def projects_for(user: AbstractBaseUser) -> QuerySet[Project]:
    """Projects the user belongs to (all of them for a superuser)."""
    if not user.is_authenticated:
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    return Project.objects.filter(memberships__user=user)


def membership_for(user: AbstractBaseUser, project: Project) -> Membership | None:
    if not user.is_authenticated:
        return None
    membership = Membership.objects.filter(project=project, user=user).first()
    if membership is None and user.is_superuser:
        return Membership(project=project, user=user, role=Role.OWNER)
    return membership


def require_role(user: AbstractBaseUser, project: Project, role: str) -> Membership:
    """The user's membership, or 404 for non-members and 403 for a too-low role."""
    membership = membership_for(user, project)
    if membership is None:
        raise Http404("No such project.")
    if not membership.allows(role):
        raise PermissionDenied(f"This needs the {role} role in {project.name}.")
    return membership


def get_project_for(user: AbstractBaseUser, slug: str, role: str = Role.VIEWER) -> tuple[Project, Membership]:
    project = projects_for(user).filter(slug=slug).first()
    if project is None:
        raise Http404("No such project.")
    return project, require_role(user, project, role)
