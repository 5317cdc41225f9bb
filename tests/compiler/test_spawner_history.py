"""A compiled spawner's history is about as long as a hand-written batch workflow's (issue 16 item 2).

benchmarks/spawner_history.py measures 200 children against the target
(parent history at most 1.1 times benchmarks/reference_batch.py's; 0.99
when measured). This runs the same comparison on the dev server with 30
children and a window of 5 (1.10 when measured), and guards a looser
ratio: starting one child per workflow task, as the spawner did before,
gave about twice the events.
"""

from __future__ import annotations

import pytest

from benchmarks.spawner_history import compiled_workflows, measure

pytestmark = pytest.mark.temporal

LOOSE_RATIO = 1.25  # how completions fall into workflow tasks varies with timing


def test_spawner_history_is_close_to_the_hand_written_reference(temporal_env, run_async, tmp_path):
    runs = run_async(measure(temporal_env, compiled_workflows(tmp_path), items=30, window=5, with_children=False))

    ratio = runs["spawner"].parent_events / runs["reference"].parent_events
    assert ratio <= LOOSE_RATIO, (
        f"the spawner's parent history has {runs['spawner'].parent_events} events, "
        f"the reference's {runs['reference'].parent_events} (ratio {ratio:.2f}, at most {LOOSE_RATIO} expected)"
    )
