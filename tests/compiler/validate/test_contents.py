"""Content diagnostics: configs, expressions, declarations, references, schedules, static dependencies."""

from __future__ import annotations

from compiler.ir import IRNode
from compiler.validate.graph import validate
from tests.compiler.validate_helpers import ACTIVITIES, chain, e, errors, flow, graph, n, only


def test_config_errors_are_rerun_for_graphs_built_in_memory():
    g = flow(
        n("t", "timer", duration="1", color="red"),
        n("r", "retry_block", max_attempts="many"),
        n("x", "timer", parent="r", duration="1"),
    )
    found = {(d.node, d.field): d.message for d in errors(validate(g))}
    assert found == {
        ("r", "max_attempts"): "Max attempts must be a whole number",
        ("t", "color"): "'color' is not a setting of Timer nodes (known: duration)",
    }


def test_config_that_is_not_an_object():
    g = graph(n("start", "start"), IRNode(key="t", type="timer", label="T", config=[1, 2]), edges=[e("start", "t")])
    found = only(validate(g))
    assert (found.node, found.field, found.message) == ("t", "config", "The config must be a JSON object")


def test_unknown_node_type():
    found = only(validate(flow(n("w", "widget"))))
    assert (found.node, found.field, found.message) == ("w", "type", "Unknown node type 'widget'")


def test_duplicate_node_key():
    g = graph(
        n("start", "start"), n("a", "timer", duration="1"), n("a", "timer", duration="2"), edges=chain("start", "a")
    )
    assert only(validate(g)).message == "Two nodes have the key 'a'"


def test_spawner_without_child_workflow():
    found = only(validate(flow(n("s", "spawner", items="input.packages"))))
    assert (found.node, found.field, found.message) == ("s", "workflow", "Child workflow is required")


def test_bad_cron_uses_the_registry_message():
    found = only(validate(graph(n("start", "start", trigger="cron", cron="0 */30 * *"))))
    assert found.field == "cron" and "is not a valid cron expression" in found.message


def test_cron_is_described_in_words():
    found = only(validate(graph(n("start", "start", trigger="cron", cron="*/30 * * * *"))), "info")
    assert (found.node, found.field) == ("start", "cron")
    assert found.message == "Schedule '*/30 * * * *': Every 30 minutes (UTC)"


def test_a_fixed_workflow_id_may_not_carry_a_project_prefix_or_a_slash():
    for fixed_id, character in (("0a1b2c3d:orchestrator", ":"), ("builds/nightly", "/")):
        found = only(validate(graph(n("start", "start", workflow_id=fixed_id))))
        assert (found.node, found.field) == ("start", "workflow_id")
        assert found.message == f"A fixed workflow id may not contain '{character}'"


def test_cron_with_a_manual_trigger_is_ignored():
    found = only(validate(graph(n("start", "start", cron="0 3 * * *"))), "warning")
    assert found.message == "The cron '0 3 * * *' is ignored because the trigger is manual"


def test_bad_expression_names_field_and_column():
    found = [
        d
        for d in errors(validate(flow(n("c", "condition", expression="input.ok and inptu.x"))))
        if d.field == "expression"
    ][0]
    assert (found.node, found.field, found.column) == ("c", "expression", 14)
    assert found.message == "Invalid expression: unknown name 'inptu'"
    assert found.hint == "did you mean 'input'?"


def test_syntax_error_in_activity_argument():
    g = flow(n("a", "activity", activity="fetch", args={"url": "'http://x' +"}))
    found = only(validate(g, activities=ACTIVITIES))
    assert found.field == "args.url" and found.message.startswith("Invalid expression: ")
    assert found.column is not None


def test_bad_argument_name_and_value_type():
    g = flow(n("a", "activity", activity="fetch", args={"url": "'u'", "bad name": "1", "timeout": [1]}))
    found = {d.field: d.message for d in errors(validate(g))}
    assert found == {
        "args.bad name": "'bad name' is not a valid argument name",
        "args.timeout": "Invalid expression: the value must be an expression (text)",
    }


def test_expression_names_follow_the_containers():
    spawner = n(
        "s",
        "spawner",
        workflow="child",
        items="input.packages",
        item_key="item.name",
        child_id="'build-' + item.name",
        result_var="builds",
    )
    on_complete = [
        n("c", "condition", parent="s", slot="on_complete", expression="child_status == 'failed' and error"),
        n("ok", "timer", parent="s", slot="on_complete", duration="len(result) + len(item)"),
        n("bad", "timer", parent="s", slot="on_complete", duration="attempt"),
    ]
    retry = [
        n("r", "retry_block"),
        n("try", "timer", parent="r", duration="attempt"),
        n("fix", "timer", parent="r", slot="remediation", duration="len(last_error)"),
    ]
    g = flow(
        spawner,
        *on_complete,
        *retry,
        n("after", "timer", duration="item"),
        edges=[e("c", "ok", "true"), e("c", "bad", "false")],
    )
    found = sorted((d.node, d.field, d.message) for d in errors(validate(g)))
    assert found == [
        ("after", "duration", "Invalid expression: unknown name 'item'"),
        ("bad", "duration", "Invalid expression: unknown name 'attempt'"),
    ]


def test_item_is_known_only_in_per_item_fields():
    g = flow(n("d", "dependency_graph", items="item", output_var="layers"))
    found = only(validate(g))
    assert (found.field, found.message) == ("items", "Invalid expression: unknown name 'item'")


def test_signal_handler_values_see_the_payload():
    handler = n(
        "h", "signal_handler", signal="add", actions=[{"op": "extend", "var": "queue", "value": "payload.items"}]
    )
    assert (
        validate(flow(n("t", "timer", duration="1"), extra=[n("q", "state", name="queue", type="list"), handler])) == []
    )


def test_duplicate_declarations_and_builtin_query():
    declarations = [
        n("s1", "state", name="queue"),
        n("s2", "state", name="queue"),
        n("h1", "signal_handler", signal="pause"),
        n("h2", "signal_handler", signal="pause"),
        n("q1", "query", name="progress", expression="1"),
    ]
    found = {d.node: d.message for d in errors(validate(flow(extra=declarations)))}
    assert found == {
        "s2": "State variable 'queue' is declared twice (also by 's1')",
        "h2": "Signal 'pause' is declared twice (also by 'h1')",
        "q1": "Query name 'progress' is built in: every workflow answers it with its phase and node statuses",
    }


def test_reserved_and_clashing_variable_names():
    g = flow(
        n("b", "activity", activity="fetch", result_var="len"),
        n("c", "agent", prompt="hi", output_var="error"),
        extra=[n("s", "state", name="input")],
    )
    found = {d.node: d.message for d in errors(validate(g))}
    assert found == {
        "b": "Result variable 'len' is reserved (it is an expression function); choose another name",
        "c": "Result variable 'error' is reserved (it names the failure after error edges, in retry blocks "
        "and in a spawner's on-complete steps); choose another name",
        "s": "State variable name 'input' is reserved (it is used by the generated workflow code); choose another name",
    }
    g = flow(n("a", "activity", activity="fetch", result_var="queue"), extra=[n("s", "state", name="queue")])
    assert only(validate(g)).message == "Result variable 'queue' has the same name as a state variable"


def test_signal_actions_on_undeclared_or_wrongly_typed_state():
    actions = [
        {"op": "set", "var": "queu", "value": "1"},
        {"op": "merge", "var": "count", "value": "payload"},
        {"op": "merge", "var": "anything", "value": "payload"},
        {"op": "increment", "var": "name"},
    ]
    state = [
        n("q", "state", name="queue", type="list"),
        n("c", "state", name="count", type="int"),
        n("a", "state", name="anything"),
        n("nm", "state", name="name", type="str"),
    ]
    diagnostics = validate(flow(extra=[*state, n("h", "signal_handler", signal="s", actions=actions)]))
    found = {d.field: (d.severity.value, d.message, d.hint) for d in diagnostics}
    assert found == {
        "actions.1.var": (
            "error",
            "Action 1 (set) changes 'queu', which is not a declared state variable",
            "did you mean 'queue'?",
        ),
        "actions.2.var": (
            "error",
            "Action 2 (merge) needs a list, but state variable 'count' is of type int",
            "use set, or change the type of 'count' to list",
        ),
        "actions.3.var": (
            "warning",
            "Action 3 (merge) needs a list, and state variable 'anything' may hold anything",
            "set the type of 'anything' to list",
        ),
        "actions.4.var": (
            "error",
            "Action 4 (increment) needs a number, but state variable 'name' is of type str",
            "change the type of 'name' to int",
        ),
    }


def test_unknown_activity_with_suggestion():
    found = only(validate(flow(n("a", "activity", activity="fetsh")), activities=ACTIVITIES))
    assert (found.field, found.message, found.hint) == ("activity", "Unknown activity 'fetsh'", "did you mean 'fetch'?")


def test_unknown_and_missing_activity_arguments():
    g = flow(n("a", "activity", activity="fetch", args={"ulr": "'x'"}))
    found = {d.field: (d.message, d.hint) for d in errors(validate(g, activities=ACTIVITIES))}
    assert found == {
        "args": ("Activity 'fetch' needs the argument(s) url", "add a value for each of them"),
        "args.ulr": ("Activity 'fetch' has no argument 'ulr'", "did you mean 'url'?"),
    }


def test_activity_checks_are_skipped_without_a_registry():
    assert validate(flow(n("a", "activity", activity="anything"))) == []


def test_agent_needs_the_built_in_activity():
    found = only(validate(flow(n("a", "agent", prompt="Fix it")), activities={"fetch": ACTIVITIES["fetch"]}))
    assert found.message == "The built-in activity 'agent' that this node calls is not registered"


def test_unknown_child_workflow_with_suggestion():
    project = {"package-build": graph(n("start", "start"), identifier="package-build")}
    g = flow(n("c", "child_workflow", workflow="package-biuld"), n("s", "spawner", workflow="nope", items="[]"))
    found = {d.node: (d.field, d.message, d.hint) for d in validate(g, project_graphs=project)}
    assert found == {
        "c": ("workflow", "Unknown workflow 'package-biuld' in this project", "did you mean 'package-build'?"),
        "s": ("workflow", "Unknown workflow 'nope' in this project", "workflows: package-build"),
    }


def test_child_input_is_checked_against_the_childs_input_fields_when_it_is_a_dict_literal():
    fields = [
        {"name": "package_name", "type": "str", "required": True},
        {"name": "category", "type": "str", "default": ""},
        {"name": "priority", "type": "int", "required": True, "default": 0},
    ]
    project = {"package-build": graph(n("start", "start", input_fields=fields), identifier="package-build")}
    g = flow(
        n("missing", "child_workflow", workflow="package-build", input="{'categry': 'libs'}"),
        n("fine", "child_workflow", workflow="package-build", input="{'package_name': 'numpy', 'category': 'libs'}"),
        n("empty", "child_workflow", workflow="package-build"),
        n("unknown", "spawner", workflow="package-build", items="[]", input="item"),
    )
    found = sorted((d.node, d.severity.value, d.field, d.message) for d in validate(g, project_graphs=project))
    needs = "Workflow 'package-build' needs the input field(s) package_name"
    assert found == [
        ("empty", "error", "input", needs),
        ("missing", "error", "input", needs),
        ("missing", "warning", "input", "Workflow 'package-build' has no input field 'categry'"),
    ]
    typo = next(d for d in validate(g, project_graphs=project) if d.severity.value == "warning")
    assert typo.hint == "did you mean 'category'?"


def test_a_child_without_declared_input_fields_takes_any_input():
    project = {"untyped": graph(n("start", "start"), identifier="untyped")}
    g = flow(n("child", "child_workflow", workflow="untyped", input="{'anything': 1}"))
    assert validate(g, project_graphs=project) == []


def test_child_workflow_that_starts_itself_is_a_warning():
    found = only(validate(flow(n("c", "child_workflow", workflow="wf"))), "warning")
    assert found.message == "'c' starts this same workflow ('wf') as its child"


def test_signal_to_a_workflow_without_that_handler():
    target = graph(n("start", "start"), n("h", "signal_handler", signal="newPackages"), identifier="builder")
    send = n(
        "s", "signal_send", workflow_id="'builder-1'", signal="newPackage", workflow="builder", start_if_missing=True
    )
    found = only(validate(flow(send), project_graphs={"builder": target}, activities=ACTIVITIES), "warning")
    assert (found.field, found.message) == ("signal", "Workflow 'builder' has no handler for signal 'newPackage'")
    assert found.hint == "did you mean 'newPackages'?"


STATIC_ITEMS = (
    "[{'name': 'a', 'dependencies': ['c']}, {'name': 'b', 'dependencies': ['a']}, {'name': 'c', 'dependencies': ['b']}]"
)


def test_dependency_cycle_in_static_items():
    found = only(validate(flow(n("d", "dependency_graph", items=STATIC_ITEMS, output_var="layers"))))
    assert (found.node, found.field) == ("d", "items")
    assert found.message == "The items depend on each other in a cycle: a -> c -> b -> a"


def test_spawner_static_items_with_attribute_keys():
    g = flow(
        n("s", "spawner", workflow="child", items=STATIC_ITEMS, item_key="item.name", depends_on="item.dependencies")
    )
    assert "cycle: a -> c -> b -> a" in only(validate(g)).message


def test_unknown_static_dependency():
    items = "[{'name': 'a', 'dependencies': ['zlib']}]"
    found = only(validate(flow(n("d", "dependency_graph", items=items, output_var="layers"))))
    assert found.message == "Item 'a' depends on 'zlib', which is not among the items"


def test_items_that_are_not_literal_are_left_to_run_time():
    g = flow(n("d", "dependency_graph", items="input.packages", output_var="layers"))
    assert validate(g) == []


def test_retry_block_exhaustion_needs_its_error_edge():
    g = flow(n("r", "retry_block", on_exhausted="error_edge"), n("t", "timer", parent="r", duration="1"))
    found = only(validate(g))
    assert (found.node, found.field) == ("r", "on_exhausted")
    assert found.message == "'r' should follow its error edge when attempts run out, but it has none"


def test_spawner_static_dependency_on_a_missing_item_is_a_warning():
    items = "[{'name': 'a', 'dependencies': ['zlib']}]"
    g = flow(
        n("s", "spawner", workflow="child", items=items, item_key="item['name']", depends_on="item['dependencies']")
    )
    found = only(validate(g), "warning")
    assert found.message == "Item 'a' depends on 'zlib', which is not among the items"
    assert found.hint.startswith("'a' will wait forever")


def test_signal_with_start_needs_a_known_workflow_and_the_built_in_activity():
    send = n("s", "signal_send", workflow_id="'x'", signal="go", workflow="missing", start_if_missing=True)
    found = errors(validate(flow(send), project_graphs={}, activities={}))
    assert [d.message for d in found] == [
        "The built-in activity 'signal_with_start' that this node calls is not registered",
        "Unknown workflow 'missing' in this project",
    ]
