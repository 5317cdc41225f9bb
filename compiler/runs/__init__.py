"""Runs of deployed workflows, with Temporal as the source of truth.

`control` starts, lists, signals, cancels and terminates runs; `history`
describes one run from its event history; `dependencies` reads the
parent/child and signal links between runs.
"""
