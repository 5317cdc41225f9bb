"""Words and defaults the node types, the compiler and the runtime of generated code share, defined once.

The node-type registry offers them (choices, defaults), the emitter writes
them into generated code, and compiler/runtime reads them while a workflow
runs. The runtime runs in Temporal's workflow sandbox and imports nothing
from Django or the project's apps, and the graph domain never imports the
compiler: so this module lives apart from both and imports nothing but the
standard library.
"""

from __future__ import annotations

from types import MappingProxyType

# How a retry block waits between attempts (compiler/runtime/retry.py backoff_seconds).
BACKOFFS = ("exponential", "linear", "none")

# A retry block's settings when its config leaves them out.
RETRY_BLOCK_DEFAULTS = MappingProxyType(
    {"max_attempts": 3, "backoff": "exponential", "initial_interval": 1.0, "multiplier": 2.0, "max_interval": 3600.0}
)

# A step's Temporal retry policy when its config leaves settings out. Temporal reads a
# max_attempts of 0 as "retry forever": only a graph that says 0 gets that.
STEP_RETRY_DEFAULTS = MappingProxyType(
    {"max_attempts": 3, "initial_interval": 1.0, "backoff_coefficient": 2.0, "maximum_interval": None}
)

# What a spawner does when a child fails (compiler/runtime/scheduling.py acts on it).
FAILURE_POLICIES = ("fail_fast", "continue", "skip_dependents")

# What a map does when an item's call fails (compiler/runtime/concurrent.py): cancel the rest and
# fail the step, or let every item finish and report each one's status.
MAP_FAILURE_POLICIES = ("fail_fast", "collect")

# A parallel node's branches: a `branches` count picks how many of these slots run (2..MAX).
PARALLEL_MIN_BRANCHES = 2
PARALLEL_BRANCHES = ("branch_1", "branch_2", "branch_3", "branch_4")

# What happens to a child workflow when its parent closes: the config's word and
# the member of Temporal's `workflow.ParentClosePolicy` the emitter writes for it.
PARENT_CLOSE_POLICIES = MappingProxyType(
    {"terminate": "TERMINATE", "abandon": "ABANDON", "request_cancel": "REQUEST_CANCEL"}
)

# The query every workflow answers with its phase and node statuses (compiler/runtime/progress.py).
PROGRESS_QUERY = "progress"

# Names that containers and handlers bind for the expressions inside them.
ITEM_NAME = "item"  # the item being handled (a spawner's or dependency_graph's per-item fields)
# The failure an error path handles (compiler/runtime/errors.py): after an error edge, in a retry
# block's slots once an attempt failed, and in a spawner's on_complete steps (the child's error).
ERROR_NAME = "error"
SPAWN_COMPLETION_NAMES = (ITEM_NAME, "result", "child_status", ERROR_NAME)  # a spawner's on_complete steps
RETRY_NAMES = ("attempt", "last_error", ERROR_NAME)  # a retry block's body and remediation
PAYLOAD_NAME = "payload"  # a signal handler's argument
# Every name above, with why it cannot name a state or result variable (the reason the validator gives,
# compiler/expressions/language.py); a node type binds only these (its `slot_names` and `own_names`).
_BOUND_BY_CONTAINERS = "it is set by containers such as loops and retry blocks"
CONTEXT_NAMES = MappingProxyType(
    {
        **dict.fromkeys((ITEM_NAME, *RETRY_NAMES, *SPAWN_COMPLETION_NAMES), _BOUND_BY_CONTAINERS),
        "child_status": "it is set inside a spawner's on-complete steps",
        ERROR_NAME: "it names the failure after error edges, in retry blocks and in a spawner's on-complete steps",
        PAYLOAD_NAME: "it names the signal's argument in signal handlers",
    }
)
