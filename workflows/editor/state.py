"""What the editor shows, read in a fixed number of queries whatever the graph's size.

`editor_state` is the editor's selector: the project's graphs (three
queries, needed anyway for cross-workflow checks), the revision history
(one), the newest deployments (one). Validation, layout and the inspector's
data are computed in Python from those rows, so a 300-node workflow costs
the same queries as a 10-node one (tests/workflows/editor/test_page.py
asserts it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from compiler.activities.loading import load_configured_activities
from compiler.activities.registry import ActivitySpec
from compiler.builds.draft_status import DraftStatus, draft_status
from compiler.diagnostics import Diagnostic
from compiler.ir import Graph, IRNode
from compiler.project_reader import graph_document, load_project, project_mcp_servers
from compiler.validate.graph import validate
from projects.models import Membership, Project, Role
from workflows.canvas.layout import Layout
from workflows.canvas.svg import cached_layout
from workflows.editor.history import History, workflow_history
from workflows.models import Workflow
from workflows.node_types import NODE_TYPES

RECENT_DEPLOYMENTS = 5


@dataclass
class EditorState:
    project: Project
    membership: Membership
    workflow: Workflow
    graph: Graph
    project_graphs: dict[str, Graph]
    history: History
    deployments: list = field(default_factory=list)
    folded: frozenset[str] = frozenset()  # containers this user folded on the canvas (a cookie, canvas/folding.py)

    @property
    def can_edit(self) -> bool:
        return self.membership.allows(Role.EDITOR)

    @cached_property
    def activities(self) -> dict[str, ActivitySpec]:
        return {spec.name: spec for spec in load_configured_activities()}

    @cached_property
    def mcp_servers(self) -> list[str]:
        return project_mcp_servers(self.project)

    @cached_property
    def diagnostics(self) -> list[Diagnostic]:
        return validate(
            self.graph, project_graphs=self.project_graphs, activities=self.activities, mcp_servers=self.mcp_servers
        )

    @cached_property
    def draft_status(self) -> DraftStatus:
        """How the draft differs from the newest build (the toolbar says it); read when first shown."""
        return draft_status(self.project, self.workflow.pk, self.graph)

    @cached_property
    def layout(self) -> Layout:
        return cached_layout(self.workflow, graph_document(self.graph), self.folded)

    def reloaded(self) -> EditorState:
        """The state after an edit: the same project, member and workflow, read again."""
        return editor_state(self.project, self.membership, self.workflow, folded=self.folded)

    def node(self, key: str | None) -> IRNode | None:
        return self.graph.by_key.get(key) if key else None

    def containers(self) -> list[tuple[str, str]]:
        """(value, title) of every place a node can go: the top level and each container slot."""
        places = [("", "Top level")]
        for node in self.graph.nodes:
            node_type = NODE_TYPES.get(node.type)
            for slot in node_type.slots if node_type else ():
                suffix = f" · {slot}" if len(node_type.slots) > 1 or slot != "body" else ""
                places.append((f"{node.key}:{slot}", f"{node_type.title}: {node.label}{suffix}"))
        return places

    def siblings(self, node: IRNode) -> list[IRNode]:
        return [n for n in self.graph.children(node.parent, node.slot) if n.key != node.key]

    def descendants(self, key: str) -> set[str]:
        found, frontier = set(), [key]
        while frontier:
            current = frontier.pop()
            for node in self.graph.nodes:
                if node.parent == current and node.key not in found:
                    found.add(node.key)
                    frontier.append(node.key)
        return found


def editor_state(
    project: Project, membership: Membership, workflow: Workflow, *, folded: frozenset[str] = frozenset()
) -> EditorState:
    """Everything the editor page and its partials read (five queries)."""
    graphs = load_project(project)
    return EditorState(
        project=project,
        membership=membership,
        workflow=workflow,
        graph=graphs[workflow.identifier],
        project_graphs=graphs,
        history=workflow_history(workflow),
        deployments=recent_deployments(project),
        folded=folded,
    )


def recent_deployments(project: Project) -> list:
    """The toolbar's builds, newest first (one query); read again after a deploy adds one."""
    from compiler.models import Deployment

    return list(Deployment.objects.filter(project=project).only("build_id", "status", "deployed")[:RECENT_DEPLOYMENTS])
