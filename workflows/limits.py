"""Sizes of what a workflow holds, shared by the models, the document check and the API.

One number each, so an import or an API write is refused with a message at
the same length where the database column ends (PostgreSQL would otherwise
fail the insert) and a position stays within every database's integer.
"""

MAX_NAME = 120  # Workflow.name
MAX_LABEL = 200  # Node.label
MAX_POSITION = 1_000_000  # Node.position, either sign
