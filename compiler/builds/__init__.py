"""Builds: deploying compiled sources, loading them on workers, and keeping old runs replayable.

These modules talk to Temporal and the database: `deploy` compiles and
records a `Deployment`, `versioning` names builds for Worker Versioning,
`loader` holds the build id (the one content hash of a build's sources)
and turns stored sources back into workflow classes, `worker` runs them,
and `replay` checks new code against recorded histories.
"""
