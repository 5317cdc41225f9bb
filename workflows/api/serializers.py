"""API representations of workflows, nodes, edges, revisions and node types.

These only parse and present; every write goes through workflows.services,
so node configs, containers and edge rules are checked exactly as in the
editor and admin. Nodes and edges name other nodes by key, as the JSON
document does.
"""

from rest_framework import serializers

from workflows.api.checked_json import CheckedJSONField
from workflows.identifiers import MAX_LENGTH
from workflows.models import Edge, Node, Revision, Workflow

VERSION_HELP = "The workflow version you loaded; if someone saved since, the write gets 409. Optional."
# Versions are stored as PositiveIntegerField: a larger number could not even be looked up.
MAX_VERSION = 2**31 - 1


def version_field(**kwargs) -> serializers.IntegerField:
    """The optional `expected_version` of a write (optimistic locking)."""
    return serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_VERSION, help_text=VERSION_HELP, **kwargs
    )


class WorkflowSerializer(serializers.ModelSerializer):
    node_count = serializers.IntegerField(read_only=True)
    expected_version = version_field(write_only=True)

    class Meta:
        model = Workflow
        fields = [
            "identifier",
            "name",
            "description",
            "version",
            "node_count",
            "created",
            "updated",
            "expected_version",
        ]
        read_only_fields = ["version", "created", "updated"]
        extra_kwargs = {"name": {"required": False, "help_text": "Defaults to the identifier."}}
        # Uniqueness per project is checked by workflow_create with a clearer message.
        validators = []

    def validate_identifier(self, value: str) -> str:
        if self.instance is not None and value != self.instance.identifier:
            raise serializers.ValidationError("The identifier is the workflow's name on Temporal and cannot change.")
        return value


class DiagnosticSerializer(serializers.Serializer):
    """A validator diagnostic as the editor shows it, pinned to a node (and config field) or an edge."""

    severity = serializers.ChoiceField(choices=["error", "warning", "info"])
    message = serializers.CharField()
    node = serializers.CharField(allow_null=True, help_text="Node key.")
    edge = serializers.CharField(allow_null=True, help_text="`source -kind-> target`.")
    field = serializers.CharField(allow_null=True, help_text="Config field, e.g. `expression` or `args.url`.")
    hint = serializers.CharField(allow_blank=True)
    column = serializers.IntegerField(allow_null=True, help_text="1-based column inside the field's expression.")


class ValidationReportSerializer(serializers.Serializer):
    deployable = serializers.BooleanField(help_text="False when the validator reports an error.")
    diagnostics = DiagnosticSerializer(many=True)


class ImportedWorkflowSerializer(ValidationReportSerializer, WorkflowSerializer):
    """The answer to an import (for the schema): the new workflow and its validation report."""

    class Meta(WorkflowSerializer.Meta):
        fields = [*WorkflowSerializer.Meta.fields, "deployable", "diagnostics"]


class ImportRefusedSerializer(ValidationReportSerializer):
    """The answer to a refused import (for the schema): problems, or a strict import's diagnostics."""

    detail = serializers.CharField(required=False)
    problems = serializers.ListField(child=serializers.DictField(), required=False)


class NodeSerializer(serializers.ModelSerializer):
    # Plain text, not a choice: the service answers an unknown type with the list of known ones.
    type = serializers.CharField(max_length=32)
    key = serializers.CharField(max_length=MAX_LENGTH, required=False, help_text="Defaults to a slug of the label.")
    parent = serializers.SlugRelatedField(
        slug_field="key", read_only=True, help_text="Key of the container this node sits in."
    )
    parent_key = serializers.CharField(
        max_length=MAX_LENGTH,
        write_only=True,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="Key of the container to put the node in; empty for the top level.",
    )
    config = CheckedJSONField(required=False)
    expected_version = version_field(write_only=True)

    class Meta:
        model = Node
        fields = ["key", "type", "label", "config", "parent", "parent_key", "slot", "position", "expected_version"]
        extra_kwargs = {"label": {"required": False}, "slot": {"required": False}, "position": {"required": False}}
        validators = []

    def validate_type(self, value: str) -> str:
        if self.instance is not None and value != self.instance.type:
            raise serializers.ValidationError("A node's type cannot change; add a new node instead.")
        return value

    def validate_key(self, value: str) -> str:
        if self.instance is not None and value != self.instance.key:
            raise serializers.ValidationError("A node's key cannot change; runs and edges refer to it.")
        return value


class EdgeSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.key", help_text="Key of the node the edge leaves.")
    target = serializers.CharField(source="target.key", help_text="Key of the node the edge enters.")
    kind = serializers.CharField(default="next", help_text="next, true, false or error.")
    expected_version = version_field(write_only=True)

    class Meta:
        model = Edge
        fields = ["id", "source", "target", "kind", "expected_version"]
        validators = []


class RevisionSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Revision
        fields = ["number", "author", "message", "created"]


class RevisionDetailSerializer(RevisionSerializer):
    class Meta(RevisionSerializer.Meta):
        fields = [*RevisionSerializer.Meta.fields, "snapshot"]


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="`label`, `parent`, ... or `config.<setting>`.")
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class NodeChangeSerializer(serializers.Serializer):
    key = serializers.CharField()
    changes = FieldChangeSerializer(many=True)


class NodeChangesSerializer(serializers.Serializer):
    added = serializers.ListField(child=serializers.DictField(), help_text="Nodes as in the document.")
    changed = NodeChangeSerializer(many=True)
    removed = serializers.ListField(child=serializers.DictField(), help_text="Nodes as they were.")


class EdgeChangesSerializer(serializers.Serializer):
    added = serializers.ListField(child=serializers.DictField(), help_text="`{name, source, target, kind}`.")
    removed = serializers.ListField(child=serializers.DictField())


class RevisionDiffSerializer(serializers.Serializer):
    """The answer of a revision diff (for the schema; built by workflows.document_diff)."""

    from_ = serializers.IntegerField(allow_null=True, help_text="The older revision; null: compared with nothing.")
    to = serializers.IntegerField()
    workflow = FieldChangeSerializer(many=True, help_text="Changes of the workflow's name and description.")
    nodes = NodeChangesSerializer()
    edges = EdgeChangesSerializer(help_text="Edges by name `source -kind-> target`: only added or removed.")
    text = serializers.CharField(help_text="Unified diff of the two documents as JSON with sorted keys.")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class RestoreSerializer(serializers.Serializer):
    expected_version = version_field()


class FieldSpecSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()
    label = serializers.CharField(source="title")
    required = serializers.BooleanField()
    default = serializers.JSONField(allow_null=True)
    choices = serializers.ListField(child=serializers.CharField())
    help = serializers.CharField()


class NodeTypeSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    category = serializers.CharField()
    icon = serializers.CharField()
    is_container = serializers.BooleanField()
    slots = serializers.ListField(child=serializers.CharField())
    out_edges = serializers.ListField(child=serializers.CharField())
    fields = FieldSpecSerializer(many=True)
    defaults = serializers.DictField(help_text="Config a new node of this type starts with.")
