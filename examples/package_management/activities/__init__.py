"""The Package Management activities; importing this package registers them all.

Listed in the ``WORKFLOW_ACTIVITY_MODULES`` setting, so workers host them and
the editor's palette offers them with their argument names.
"""

from examples.package_management.activities import planning, preflight, steps

__all__ = ["planning", "preflight", "steps"]
