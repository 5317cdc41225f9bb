"""The everyday examples as workflow JSON documents, imported by `seed_examples` like any user import."""

from __future__ import annotations


def _edges(*edges: tuple) -> list[dict]:
    return [{"source": e[0], "target": e[1], "kind": e[2] if len(e) > 2 else "next"} for e in edges]


def money_transfer() -> dict:
    """Withdraw, deposit; when the deposit fails, refund and end the run as failed (a saga)."""
    amount = {"account": "input.source", "amount": "input.amount"}
    return {
        "identifier": "money-transfer",
        "name": "Money transfer",
        "description": "Withdraw, deposit, and refund then fail when the deposit is refused.",
        "nodes": [
            {
                "key": "start",
                "type": "start",
                "label": "Start",
                "config": {
                    "input_fields": [
                        {"name": "source", "type": "str", "required": True},
                        {"name": "target", "type": "str", "required": True},
                        {"name": "amount", "type": "int", "required": True},
                    ]
                },
            },
            {
                "key": "withdraw",
                "type": "activity",
                "label": "Withdraw",
                "config": {"activity": "withdraw", "args": amount},
            },
            {
                "key": "deposit",
                "type": "activity",
                "label": "Deposit",
                "config": {
                    "activity": "deposit",
                    "args": {"account": "input.target", "amount": "input.amount"},
                    "result_var": "deposited",
                },
            },
            {"key": "refund", "type": "activity", "label": "Refund", "config": {"activity": "refund", "args": amount}},
            {
                "key": "refused",
                "type": "fail",
                "label": "Transfer refused",
                "config": {
                    "error_type": "TransferRefused",
                    "message": "'refunded ' + str(input.amount) + ' to ' + input.source + ': ' + error.message",
                    "details": "{'step': error.step, 'reason': error.type}",
                },
            },
            {"key": "done", "type": "end", "label": "Done", "config": {"result": "{'transferred': input.amount}"}},
        ],
        "edges": _edges(
            ("start", "withdraw"),
            ("withdraw", "deposit"),
            ("deposit", "done"),
            ("deposit", "refund", "error"),
            ("refund", "refused"),
        ),
    }


def approval() -> dict:
    """Wait for an `approve` or `reject` signal; after `hours` the request expires."""
    return {
        "identifier": "approval",
        "name": "Approval with a timeout",
        "description": "A human decides by signal; nobody deciding in time expires the request.",
        "nodes": [
            {
                "key": "start",
                "type": "start",
                "label": "Start",
                "config": {"input_fields": [{"name": "hours", "type": "float", "default": 24}]},
            },
            {
                "key": "decision",
                "type": "state",
                "label": "Decision",
                "config": {"name": "decision", "type": "str", "initial": ""},
            },
            {
                "key": "on-approve",
                "type": "signal_handler",
                "label": "Approve",
                "config": {"signal": "approve", "actions": [{"op": "set", "var": "decision", "value": "'approved'"}]},
            },
            {
                "key": "on-reject",
                "type": "signal_handler",
                "label": "Reject",
                "config": {"signal": "reject", "actions": [{"op": "set", "var": "decision", "value": "'rejected'"}]},
            },
            {
                "key": "wait",
                "type": "wait",
                "label": "Wait for a decision",
                "config": {"until": "decision", "timeout": "input.hours * 3600"},
            },
            {"key": "decided", "type": "end", "label": "Decided", "config": {"result": "decision"}},
            {
                "key": "expire",
                "type": "assign",
                "label": "Expire",
                "config": {"values": {"decision": "'expired after ' + str(input.hours) + ' h'"}},
            },
            {"key": "expired", "type": "end", "label": "Expired", "config": {"result": "decision"}},
        ],
        "edges": _edges(("start", "wait"), ("wait", "decided"), ("wait", "expire", "error"), ("expire", "expired")),
    }


def workflow_documents() -> list[dict]:
    return [money_transfer(), approval()]
