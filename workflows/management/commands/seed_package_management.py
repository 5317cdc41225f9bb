"""`manage.py seed_package_management [--reset]`: the demo user, project and its four workflows.

Idempotent: the project is matched by name and each workflow by identifier;
whatever exists is left alone ("skipped"), whatever is missing is created
through `workflows.services.workflow_import` (the validated import path).
`--reset` deletes the project with its workflows first and seeds it afresh.
Another demo project is seeded the same way by a subclass that names its
own `ProjectSeed` (seed_examples).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from examples.package_management.graphs import workflow_documents
from projects.models import Membership, Project, Role
from workflows.models import Workflow
from workflows.services import DocumentInvalid, workflow_import

DEMO_USERNAME = "demo"


@dataclass(frozen=True)
class ProjectSeed:
    """A demo project: its name, slug and description, and its workflows as JSON documents in seeding order."""

    name: str
    slug: str
    description: str
    documents: Callable[[], list[dict]]


PACKAGE_MANAGEMENT = ProjectSeed(
    "Package Management",
    "package-management",
    "The reference content: build packages with Temporal (docs/package-management.md).",
    workflow_documents,
)


class Command(BaseCommand):
    help = "Create the demo user and the Package Management project with its four workflows (idempotent)."
    project_seed = PACKAGE_MANAGEMENT

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Delete the project and its workflows first, then seed it again."
        )

    def handle(self, *args, reset: bool = False, **options) -> None:
        try:
            with transaction.atomic():
                created, skipped = self.seed(reset=reset)
        except DocumentInvalid as error:
            problems = "; ".join(
                f"{p['node'] or p['edge'] or p['field'] or 'document'}: {p['message']}" for p in error.problems
            )
            raise CommandError(f"A seed workflow is invalid, nothing was written: {problems}") from error
        except ValidationError as error:  # e.g. --reset could not remove the deployed project's schedules
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Seed done: {created} created, {skipped} skipped."))

    def seed(self, *, reset: bool) -> tuple[int, int]:
        seed = self.project_seed
        created = skipped = 0
        user, user_created = self.demo_user()
        created, skipped = created + user_created, skipped + (not user_created)
        if reset:
            deleted = Project.objects.filter(name=seed.name).delete()[0]
            if deleted:
                self.stdout.write(f"project '{seed.name}': deleted (--reset)")
        project = Project.objects.filter(name=seed.name).first()
        if project is None:
            if Project.objects.filter(slug=seed.slug).exists():
                raise CommandError(
                    f"Another project already uses the slug '{seed.slug}'; rename it or run with a clean database."
                )
            project = Project.objects.create(name=seed.name, slug=seed.slug, owner=user, description=seed.description)
            self.stdout.write(f"project '{seed.name}': created (task queue {project.task_queue})")
            created += 1
        else:
            self.stdout.write(f"project '{seed.name}': skipped (exists)")
            skipped += 1
        _, membership_created = Membership.objects.get_or_create(
            project=project, user=user, defaults={"role": Role.OWNER}
        )
        created, skipped = created + membership_created, skipped + (not membership_created)
        self.stdout.write(f"membership {user.username} in '{project.name}': {self._word(membership_created)}")
        for document in seed.documents():
            identifier = document["identifier"]
            if Workflow.objects.filter(project=project, identifier=identifier).exists():
                self.stdout.write(f"workflow {identifier}: skipped (exists)")
                skipped += 1
                continue
            workflow = workflow_import(project=project, user=user, document=document)
            self.stdout.write(f"workflow {identifier}: created ({workflow.nodes.count()} nodes)")
            created += 1
        return created, skipped

    def demo_user(self):
        """The demo user; a new one gets DEMO_PASSWORD or a generated password (printed once).

        DEMO_PASSWORD goes through AUTH_PASSWORD_VALIDATORS like any password
        a user chooses: the demo user owns the seeded project, and `make run`
        serves it.
        """
        User = get_user_model()
        user = User.objects.filter(username=DEMO_USERNAME).first()
        if user is not None:
            self.stdout.write(f"user {DEMO_USERNAME}: skipped (exists; password unchanged)")
            return user, False
        password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
        user = User(username=DEMO_USERNAME)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(
                f"DEMO_PASSWORD is refused: {' '.join(error.messages)} "
                "Choose a stronger one, or unset it to get a generated password."
            ) from None
        user.set_password(password)
        user.save()
        if os.environ.get("DEMO_PASSWORD"):
            self.stdout.write(f"user {DEMO_USERNAME}: created (password from DEMO_PASSWORD)")
        else:
            self.stdout.write(f"user {DEMO_USERNAME}: created with password {password} (set DEMO_PASSWORD to choose)")
        return user, True

    @staticmethod
    def _word(created: bool) -> str:
        return "created" if created else "skipped (exists)"
