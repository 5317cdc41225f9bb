"""`manage.py seed_examples [--reset]`: the demo user and the Everyday Examples project (examples/everyday).

Seeds like seed_package_management, whose command this one is with another
project: a money transfer saga (withdraw, deposit, refund on failure, then
fail), an approval that waits for a signal with a timeout, price quotes
over a map of activities, and an order that takes updates.
"""

from __future__ import annotations

from examples.everyday.graphs import workflow_documents
from workflows.management.commands.seed_package_management import Command as SeedCommand
from workflows.management.commands.seed_package_management import ProjectSeed

EVERYDAY_EXAMPLES = ProjectSeed(
    "Everyday Examples",
    "everyday-examples",
    "Small workflows with fail, assign, wait, map, updates and the error after an error edge (examples/everyday).",
    workflow_documents,
)


class Command(SeedCommand):
    help = "Create the demo user and the Everyday Examples project with its workflows (idempotent)."
    project_seed = EVERYDAY_EXAMPLES
