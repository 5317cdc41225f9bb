"""The seeded Package Management project compiles without errors (`compile_workflow --all --check`)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_compile_workflow_check_reports_no_errors_for_the_seeded_project():
    call_command("seed_package_management", stdout=io.StringIO())
    out, err = io.StringIO(), io.StringIO()

    call_command("compile_workflow", "package-management", "--all", "--check", stdout=out, stderr=err)

    assert err.getvalue().strip() == "4 workflow(s) compiled, 0 with errors"
    lines = out.getvalue().splitlines()
    assert [line for line in lines if not line.startswith("  ")] == [
        "continuous-builder:", "mcp-poller:", "package-build:", "package-builder:",
    ]  # fmt: skip
    assert [line for line in lines if "error:" in line] == []
    assert "  info: start [cron]: Schedule '*/30 * * * *': Every 30 minutes (UTC)" in lines
