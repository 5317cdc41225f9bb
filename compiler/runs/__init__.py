"""Runs of deployed workflows, with Temporal as the source of truth.

`control` starts, lists, signals, cancels and terminates runs; `history`
describes one run from its event history; `overlay` completes its per-node
statuses for the canvas (path taken, containers, attempts); `dependencies`
reads the parent/child and signal links between runs.
"""
