"""Checks of what a workflow declares: state variables, signals, queries and result variables.

All of them share one namespace with `input` and the container names, so a
name that is reserved or declared twice would make the generated code, or the
user's expressions, mean something else than the graph shows.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from compiler.diagnostics import Diagnostic, error, warning
from compiler.expressions.language import check_identifier
from compiler.ir import IRNode
from compiler.validate.names import result_field
from workflows.node_types import NODE_TYPES

LIST_OPS = ("append", "extend", "merge")
NUMBER_TYPES = ("int", "float", "any")


def did_you_mean(name: str, candidates, fallback: str) -> str:
    close = difflib.get_close_matches(name, sorted(candidates), n=1)
    return f"did you mean '{close[0]}'?" if close else fallback


def name_problem(name: str, what: str) -> str | None:
    problem = check_identifier(name, what=what)
    return None if problem is None else problem[0].upper() + problem[1:]


def state_types(nodes: list[IRNode], configs: dict[str, dict]) -> dict[str, str]:
    """Declared state variable name -> type, first declaration wins."""
    types: dict[str, str] = {}
    for node in nodes:
        config = configs[node.key]
        if node.type == "state" and config.get("name"):
            types.setdefault(config["name"], config.get("type", "any"))
    return types


def check_declarations(nodes: list[IRNode], configs: dict[str, dict]) -> Iterator[Diagnostic]:
    """Usable state and result variable names, and signal actions on declared state of the right type.

    That a name is declared once is each declaring type's own rule (its `graph_checks`).
    """
    for node in nodes:
        name = configs[node.key].get("name") if node.type == "state" else None
        problem = name_problem(name, "state variable name") if name else None
        if problem:
            yield error(problem, node=node.key, field="name", hint="rename the state variable")
    yield from _check_variables(nodes, configs)
    yield from _check_signal_actions(nodes, configs)


def _check_variables(nodes: list[IRNode], configs: dict[str, dict]) -> Iterator[Diagnostic]:
    """result_var / output_var / an assign's values: valid, not reserved; a step's result not a state variable's
    name (an assign sets state variables by name, that is what it is for)."""
    states = state_types(nodes, configs)
    for node in nodes:
        field = result_field(node.type)
        if not field:
            continue
        sets_state = NODE_TYPES[node.type].field(field).kind == "expression_map"
        for name in NODE_TYPES[node.type].result_names(configs[node.key]):
            yield from _check_variable(node, field if not sets_state else f"{field}.{name}", name, states, sets_state)


def _check_variable(node: IRNode, field: str, name: str, states: dict, sets_state: bool) -> Iterator[Diagnostic]:
    """One variable a node sets: a usable name, and a state variable only where the node may set state."""
    problem = name_problem(name, "result variable")
    if problem:
        yield error(problem, node=node.key, field=field, hint="rename the variable")
    elif name in states and not sets_state:
        yield error(
            f"Result variable '{name}' has the same name as a state variable",
            node=node.key,
            field=field,
            hint="rename one of them; state variables and results share one namespace",
        )


def _check_signal_actions(nodes: list[IRNode], configs: dict[str, dict]) -> Iterator[Diagnostic]:
    states = state_types(nodes, configs)
    for node in nodes:
        if node.type not in ("signal_handler", "update_handler"):
            continue
        for index, action in enumerate(configs[node.key].get("actions") or [], start=1):
            var, op = action.get("var"), action["op"]
            if var is None:
                continue
            field = f"actions.{index}.var"
            var_type = states.get(var)
            if var_type is None:
                fallback = f"add a State variable node named '{var}'"
                yield error(
                    f"Action {index} ({op}) changes '{var}', which is not a declared state variable",
                    node=node.key,
                    field=field,
                    hint=did_you_mean(var, states, fallback),
                )
            elif op in LIST_OPS and var_type not in ("list", "any"):
                yield error(
                    f"Action {index} ({op}) needs a list, but state variable '{var}' is of type {var_type}",
                    node=node.key,
                    field=field,
                    hint=f"use set, or change the type of '{var}' to list",
                )
            elif op == "merge" and var_type == "any":
                yield warning(
                    f"Action {index} (merge) needs a list, and state variable '{var}' may hold anything",
                    node=node.key,
                    field=field,
                    hint=f"set the type of '{var}' to list",
                )
            elif op == "increment" and var_type not in NUMBER_TYPES:
                yield error(
                    f"Action {index} (increment) needs a number, but state variable '{var}' is of type {var_type}",
                    node=node.key,
                    field=field,
                    hint=f"change the type of '{var}' to int",
                )
