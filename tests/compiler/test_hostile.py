"""Hostile user text either becomes a diagnostic or stays inert text in the generated module.

User text reaches generated code only as string constants, comment lines
(sanitised) or allow-listed expression trees. These tests put quotes,
triple quotes, newlines, comment markers, backslashes, unicode separators
and code into every place a user can type, then check the module: it
compiles, every user string is a constant, no comment line was broken, and
importing it runs nothing.
"""

from __future__ import annotations

import ast
import io
import tokenize

import pytest

from compiler.builds.loader import import_package
from compiler.ir import Graph, IREdge, IRNode
from compiler.pipeline import compile_graph
from workflows.input_checks import text_problem

CANARY = "/tmp/compiler-hostile-canary"
PAYLOADS = [
    "__import__('os').system('id')",
    f"__import__('pathlib').Path('{CANARY}').touch()",
    "quote \" and ' and \"\"\" triple ''' quotes",
    "new\nline __comment_0__\n__comment_1__\nimport os",
    "carriage\rreturn\r\n# comment\x0cform feed\x0bvtab",
    "separators \u2028 line \u2029 paragraph \x85 next-line \x1c\x1d\x1e",
    "back\\slash \\n not a newline \\",
    "nul \x00 byte and surrogate \udcff",
    "unicode ✓ ünïcödé 中文 🚀",
    "'''); import os; os.system('id'); x = ('",
    "#!/bin/sh\n__comment_99__",
]


def _graph(text: str) -> Graph:
    """Every free-text place of a graph filled with `text`."""
    nodes = (
        IRNode("start", "start", text, {"input_fields": [{"name": "a", "type": "str", "default": text}]}),
        IRNode("memo", "state", text, {"name": "memo", "type": "list", "initial": [text, {"k": text}]}),
        IRNode(
            "sig",
            "signal_handler",
            text,
            {"signal": "poke", "actions": [{"op": "append", "var": "memo", "value": "payload"}]},
        ),
        IRNode("ask", "query", text, {"name": "memo", "expression": "memo"}),
        IRNode("act", "activity", text, {"activity": "do_it", "args": {"text": repr(text)}, "result_var": "out"}),
        IRNode("think", "agent", text, {"prompt": text, "model": text, "tools": [text]}),
        IRNode("ph", "phase", text, {"name": text}),
        IRNode("nap", "timer", text, {"duration": "1"}, parent="ph"),
        IRNode("done", "end", text, {"result": repr(text)}),
    )
    edges = (IREdge("start", "act"), IREdge("act", "think"), IREdge("think", "ph"), IREdge("ph", "done"))
    return Graph("hostile", name=text, description=text, nodes=nodes, edges=edges)


def _strings(source: str) -> set[str]:
    return {n.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


@pytest.mark.parametrize("text", PAYLOADS)
def test_hostile_text_stays_inert(text, tmp_path):
    result = compile_graph(_graph(text))
    if text_problem(text):  # config text no database can store is refused by the node types (issue 12)
        assert result.source is None
        assert all(text_problem(text) in d.message for d in result.diagnostics if d.is_error)
        return
    assert result.source is not None, [d.line() for d in result.diagnostics]
    source = result.source
    compile(source, "hostile.py", "exec")
    assert text in _strings(source) or text.strip() in _strings(source)
    tree = ast.parse(source)
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    attributes = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert not {"__import__", "os", "system", "eval", "exec"} & (names | attributes)
    assert not any(name.startswith("__comment_") for name in names)
    comments = [t.string for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type == tokenize.COMMENT]
    assert len(comments) == sum(line.lstrip().startswith("#") for line in source.split("\n"))
    assert all(c.isprintable() for comment in comments for c in comment)
    import_package({"hostile": source}, tmp_path)
    assert not __import__("pathlib").Path(CANARY).exists()


@pytest.mark.parametrize(
    "expression",
    [
        "__import__('os').system('id')",
        "input.__class__",
        "input.__class__.__bases__[0].__subclasses__()",
        "(lambda: 1)()",
        "[x.__class__ for x in input]",
        "{k: v for k, v in items(input) for w in v}",
        "[[y for y in x] for x in input]",
        "any(x for x in [1])",
        "getattr(input, 'a')",
        "open('/etc/passwd')",
        "input['a'].upper()",
        "(y := 1)",
        "f'{input!r}'",
        "1; import os",
        "x\n#",
    ],
)
def test_hostile_expressions_are_diagnostics(expression):
    nodes = (
        IRNode("start", "start", "Start"),
        IRNode("check", "condition", "Check", {"expression": expression}),
        IRNode("yes", "end", "Yes"),
        IRNode("no", "end", "No"),
    )
    edges = (IREdge("check", "no", "false"), IREdge("check", "yes", "true"), IREdge("start", "check"))
    result = compile_graph(Graph("hostile-expression", nodes=nodes, edges=edges))
    assert result.source is None
    assert any(d.is_error and d.node == "check" for d in result.diagnostics)


def test_hostile_node_keys_are_inert_or_refused():
    key = "a'b\"c\nd#e\\f"
    nodes = (
        IRNode("start", "start", "Start"),
        IRNode(key, "activity", "Act", {"activity": "do_it"}),
    )
    result = compile_graph(Graph("hostile-key", nodes=nodes, edges=(IREdge("start", key),)))
    if result.source is not None:
        compile(result.source, "hostile.py", "exec")
        assert key in _strings(result.source)
    else:
        assert any(d.is_error for d in result.diagnostics)


def _newer_types_graph(text: str) -> Graph:
    """The node types of issue 15 with every free-text place filled with `text`.

    Their computed values (map's per-item activity calls, the update
    handler's name and rejection message, the failure's message and details
    built from `error` text) must stay constants like the older types' text.
    """
    nodes = (
        IRNode("start", "start", text, {"input_fields": [{"name": "a", "type": "str", "default": text}]}),
        IRNode("memo", "state", text, {"name": "memo", "type": "str", "initial": text}),
        IRNode(
            "upd",
            "update_handler",
            text,
            {"name": "rename", "reject_message": text, "validator": repr(text) + " != payload", "result": repr(text)},
        ),
        IRNode("each", "map", text, {"items": f"[{text!r}, input.a]", "activity": "do_it", "args": {"x": "item"}}),
        IRNode("set", "assign", text, {"values": {"memo": repr(text) + " + memo"}}),
        IRNode("hold", "wait", text, {"until": f"memo != {text!r}", "timeout": "1"}),
        IRNode("par", "parallel", text, {"branches": 2}),
        IRNode("left", "timer", text, {"duration": "1"}, parent="par", slot="branch_1"),
        IRNode("right", "timer", text, {"duration": "1"}, parent="par", slot="branch_2"),
        IRNode("stop", "fail", text, {"message": repr(text) + " + error.message", "details": f"{{'why': {text!r}}}"}),
        IRNode("done", "end", text, {"result": "memo"}),
    )
    edges = (
        IREdge("start", "each"),
        IREdge("each", "set"),
        IREdge("set", "hold"),
        IREdge("hold", "par"),
        IREdge("hold", "stop", "error"),
        IREdge("par", "done"),
    )
    return Graph("hostile-newer", name=text, description=text, nodes=nodes, edges=edges)


@pytest.mark.parametrize("text", PAYLOADS)
def test_hostile_text_in_newer_node_types_stays_inert(text, tmp_path):
    result = compile_graph(_newer_types_graph(text))
    if text_problem(text):
        assert result.source is None
        assert all(text_problem(text) in d.message for d in result.diagnostics if d.is_error)
        return
    assert result.source is not None, [d.line() for d in result.diagnostics]
    compile(result.source, "hostile.py", "exec")
    assert text in _strings(result.source)
    names = {n.id for n in ast.walk(ast.parse(result.source)) if isinstance(n, ast.Name)}
    assert not {"__import__", "os", "system", "eval", "exec"} & names
    import_package({"hostile_newer": result.source}, tmp_path)
    assert not __import__("pathlib").Path(CANARY).exists()


@pytest.mark.parametrize("name", ["bad name", "import", "x'; import os; '", "__class__", "rename\n"])
def test_hostile_update_names_are_refused_on_the_node(name):
    nodes = (IRNode("start", "start", "Start"), IRNode("upd", "update_handler", "Upd", {"name": name}))
    result = compile_graph(Graph("hostile-update", nodes=nodes, edges=()))
    assert result.source is None
    assert any(d.is_error and d.node == "upd" for d in result.diagnostics), [d.line() for d in result.diagnostics]
