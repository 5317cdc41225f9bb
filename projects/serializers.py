"""API representations of projects and memberships (parsing only; writes are services)."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from .models import Membership, Project, Role


class ProjectSerializer(serializers.ModelSerializer):
    slug = serializers.SlugField(max_length=80, required=False, help_text="Defaults to the slugified name.")
    owner = serializers.CharField(source="owner.username", read_only=True)
    role = serializers.CharField(read_only=True, allow_null=True, help_text="Your role in this project.")
    workflow_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Project
        fields = [
            "slug",
            "name",
            "description",
            "uuid",
            "task_queue",
            "namespace",
            "owner",
            "role",
            "workflow_count",
            "created",
        ]
        read_only_fields = ["uuid", "task_queue", "namespace", "created"]

    def validate_slug(self, value: str) -> str:
        if self.instance is not None and value != self.instance.slug:
            raise serializers.ValidationError("The slug is part of the task queue name and cannot change.")
        return value


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.SlugRelatedField(
        source="user",
        slug_field="username",
        queryset=get_user_model().objects.all(),
        help_text="The member's username.",
    )
    role = serializers.ChoiceField(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["username", "role", "created"]
        read_only_fields = ["created"]

    def validate_username(self, user):
        if self.instance is not None and user != self.instance.user:
            raise serializers.ValidationError("Remove the membership and add the other user instead.")
        return user
