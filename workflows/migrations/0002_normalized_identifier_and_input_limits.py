"""Workflow.normalized_identifier with a unique constraint per project, and the input validators.

The fill gives each workflow its identifier with '_' as '-'. A project that
already holds a clashing pair (created before the clash check existed; the
deploy refuses it, compiler.pipeline._refuse_shared_modules) keeps the later
one with a '#<id>' mark no identifier can contain, so the constraint can be
added; renaming one of them is the owner's choice, not a migration's.
"""

import django.core.validators
from django.db import migrations, models

import workflows.identifiers
import workflows.input_checks


def fill_normalized_identifiers(apps, schema_editor):
    Workflow = apps.get_model("workflows", "Workflow")
    taken: set[tuple[int, str]] = set()
    for workflow in Workflow.objects.order_by("pk"):
        normal = workflow.identifier.replace("_", "-")
        if (workflow.project_id, normal) in taken:
            normal = f"{normal[:60]}#{workflow.pk}"
        taken.add((workflow.project_id, normal))
        workflow.normalized_identifier = normal
        workflow.save(update_fields=["normalized_identifier"])


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
        ("workflows", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="workflow",
            name="normalized_identifier",
            field=models.CharField(default="", editable=False, max_length=80),
            preserve_default=False,
        ),
        migrations.RunPython(fill_normalized_identifiers, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="node",
            name="key",
            field=models.CharField(max_length=80, validators=[workflows.identifiers.validate_slug]),
        ),
        migrations.AlterField(
            model_name="node",
            name="label",
            field=models.CharField(max_length=200, validators=[workflows.input_checks.validate_text]),
        ),
        migrations.AlterField(
            model_name="node",
            name="position",
            field=models.IntegerField(
                default=0,
                help_text="Display order among siblings.",
                validators=[
                    django.core.validators.MinValueValidator(-1000000),
                    django.core.validators.MaxValueValidator(1000000),
                ],
            ),
        ),
        migrations.AlterField(
            model_name="revision",
            name="message",
            field=models.CharField(blank=True, max_length=200, validators=[workflows.input_checks.validate_text]),
        ),
        migrations.AlterField(
            model_name="workflow",
            name="description",
            field=models.TextField(blank=True, validators=[workflows.input_checks.validate_text]),
        ),
        migrations.AlterField(
            model_name="workflow",
            name="identifier",
            field=models.CharField(max_length=80, validators=[workflows.identifiers.validate_identifier]),
        ),
        migrations.AlterField(
            model_name="workflow",
            name="name",
            field=models.CharField(max_length=120, validators=[workflows.input_checks.validate_text]),
        ),
        migrations.AddConstraint(
            model_name="workflow",
            constraint=models.UniqueConstraint(
                fields=("project", "normalized_identifier"), name="unique_workflow_normalized_identifier"
            ),
        ),
    ]
