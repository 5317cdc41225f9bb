"""Project pages: the list of the user's projects and one project's overview.

Both run a fixed number of queries whatever the number of workflows or
members (counts are annotated, members fetched with their users).
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Subquery
from django.shortcuts import render

from .forms import ProjectCreateForm, WorkflowCreateForm
from .member_views import members_context
from .models import Membership
from .permissions import get_project_for, projects_for


@login_required
def project_list(request):
    role = Membership.objects.filter(project=OuterRef("pk"), user=request.user).values("role")[:1]
    projects = (
        projects_for(request.user)
        .select_related("owner")
        .annotate(workflow_count=Count("workflows"), role=Subquery(role))
    )
    return render(request, "projects/list.html", {"projects": projects, "project_form": ProjectCreateForm()})


@login_required
def project_detail(request, slug: str):
    project, membership = get_project_for(request.user, slug)
    workflows = project.workflows.annotate(node_count=Count("nodes")).order_by("identifier")
    context = {**members_context(project, membership), "workflows": workflows, "workflow_form": WorkflowCreateForm()}
    return render(request, "projects/detail.html", context)
