"""Sizes of what a workflow holds, shared by the models, the document check and the API.

One number each, so an import or an API write is refused with a message at
the same length where the database column ends (PostgreSQL would otherwise
fail the insert) and a position stays within every database's integer.
"""

MAX_NAME = 120  # Workflow.name
MAX_LABEL = 200  # Node.label
MAX_POSITION = 1_000_000  # Node.position, either sign
# How many expression texts the syntax check and the expression checker keep
# (each an LRU): more than every expression of the largest graph we measure
# (5,000 nodes, tests/compiler/validate/test_graph.py), because an LRU smaller
# than the texts one save checks misses on every one of them, every save.
EXPRESSION_CACHE_SIZE = 16_384
