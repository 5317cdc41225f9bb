"""The node types the studio ships, one module each; this list is their order in the palette.

Adding a type: a module here that declares `NODE_TYPE`, listed below
(docs/node-types.md, "Adding a node type").
"""

from __future__ import annotations

from . import (
    activity,
    agent,
    assign,
    child_workflow,
    condition,
    dependency_graph,
    end,
    fail,
    loop,
    map,
    parallel,
    phase,
    query,
    retry_block,
    signal_handler,
    signal_send,
    spawner,
    start,
    state,
    timer,
    update_handler,
    wait,
)

BUILTIN_TYPES = tuple(
    module.NODE_TYPE
    for module in (
        start,
        end,
        fail,
        activity,
        agent,
        condition,
        child_workflow,
        spawner,
        parallel,
        map,
        signal_send,
        signal_handler,
        query,
        update_handler,
        wait,
        state,
        assign,
        phase,
        retry_block,
        loop,
        dependency_graph,
        timer,
    )
)
