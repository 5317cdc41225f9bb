"""Project.id_prefix: the uuid's first eight hex digits, unique (workflow ids start with them)."""

from django.db import migrations, models


def fill_id_prefix(apps, schema_editor) -> None:
    Project = apps.get_model("projects", "Project")
    for project in Project.objects.all():
        project.id_prefix = project.uuid.hex[:8]
        project.save(update_fields=["id_prefix"])


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="project",
            name="id_prefix",
            field=models.CharField(default="", editable=False, max_length=8),
            preserve_default=False,
        ),
        migrations.RunPython(fill_id_prefix, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="project",
            name="id_prefix",
            field=models.CharField(editable=False, max_length=8, unique=True),
        ),
    ]
