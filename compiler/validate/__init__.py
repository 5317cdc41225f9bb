"""Validation: every rule a user can break, reported once as a Diagnostic pinned to a node, field or edge.

Pure (no Django): `graph.validate` runs the passes in order; `structure`
(placement, entries, reachability), `cycles`, `declarations`, `names`,
`references`, `dependencies`, `mcp` and `on_complete` each own one family
of rules.
"""
