"""The members card of the project page: owners add people by username, change roles, remove them.

Thin callers of projects.services (membership_set / membership_remove),
which keep the project's owner an owner. With HTMX the card is swapped in
place, with the refusal or the field errors in it (422); a plain POST
redirects back to the project page with the outcome as a message.
Only owners may change members (403 for other members, 404 for others).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .create_views import UNPROCESSABLE, redirect_to
from .forms import MemberAddForm, MemberRoleForm, add_service_errors
from .models import Membership, Project, Role
from .permissions import get_project_for, membership_for
from .services import membership_remove, membership_set


def members_context(project: Project, membership: Membership, form: MemberAddForm | None = None) -> dict:
    """What templates/projects/_members.html shows (also used by the project page)."""
    return {
        "project": project,
        "membership": membership,
        "members": project.memberships.select_related("user").order_by("user__username"),
        "member_form": form or MemberAddForm(),
        "roles": Role.choices,
    }


def _card(
    request: HttpRequest, project: Project, *, message: str, failed: bool, form: MemberAddForm | None = None
) -> HttpResponse:
    """The card again (HTMX) or a redirect to the project page; an owner who removed themselves goes to the list."""
    membership = membership_for(request.user, project)
    if membership is None or not request.htmx:
        (messages.error if failed else messages.success)(request, message)
        url = reverse("projects:detail", args=[project.slug]) + "#members" if membership else reverse("projects:list")
        return redirect_to(request, url)
    context = {**members_context(project, membership, form), "member_message": message, "member_failed": failed}
    return render(request, "projects/_members.html", context, status=UNPROCESSABLE if failed else 200)


def _one_line(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_POST
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    project, _ = get_project_for(request.user, slug, Role.OWNER)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        user, role = form.cleaned_data["username"], form.cleaned_data["role"]
        try:
            membership_set(project=project, user=user, role=role)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _card(request, project, message=f"{user.username} is now {role}.", failed=False)
    if request.htmx:
        message = "Not added: see the fields below."
    else:
        message = "Not added: " + "; ".join(f"{name}: {' '.join(found)}" for name, found in form.errors.items())
    return _card(request, project, message=message, failed=True, form=form)


def _member(project: Project, username: str) -> Membership:
    return get_object_or_404(project.memberships.select_related("user", "project"), user__username=username)


@login_required
@require_POST
def member_role(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    project, _ = get_project_for(request.user, slug, Role.OWNER)
    member = _member(project, username)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        return _card(request, project, message=f"Not changed: role {form.errors['role'][0]}", failed=True)
    try:
        membership_set(project=project, user=member.user, role=form.cleaned_data["role"])
    except ValidationError as error:
        return _card(request, project, message=f"Not changed: {_one_line(error)}", failed=True)
    return _card(request, project, message=f"{username} is now {form.cleaned_data['role']}.", failed=False)


@login_required
@require_POST
def member_remove(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    project, _ = get_project_for(request.user, slug, Role.OWNER)
    member = _member(project, username)
    try:
        membership_remove(membership=member)
    except ValidationError as error:
        return _card(request, project, message=f"Not removed: {_one_line(error)}", failed=True)
    return _card(request, project, message=f"{username} was removed from {project.name}.", failed=False)
