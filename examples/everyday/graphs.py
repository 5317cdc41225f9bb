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


def price_quotes() -> dict:
    """Look up a price for each item at once (three at a time), in one workflow: a map over activities."""
    return {
        "identifier": "price-quotes",
        "name": "Price quotes",
        "description": "Quotes every item concurrently, three at a time, and totals them.",
        "nodes": [
            {
                "key": "start",
                "type": "start",
                "label": "Start",
                "config": {"input_fields": [{"name": "skus", "type": "list", "required": True}]},
            },
            {
                "key": "quote",
                "type": "map",
                "label": "Quote each item",
                "config": {
                    "items": "input.skus",
                    "activity": "quote_price",
                    "args": {"sku": "item"},
                    "max_concurrency": 3,
                    "on_failure": "fail_fast",
                    "result_var": "prices",
                },
            },
            {
                "key": "done",
                "type": "end",
                "label": "Done",
                "config": {"result": "{'prices': prices, 'total': sum(prices)}"},
            },
            {
                "key": "unpriced",
                "type": "end",
                "label": "An item has no price",
                "config": {"result": "{'unpriced': error.message}"},
            },
        ],
        "edges": _edges(("start", "quote"), ("quote", "done"), ("quote", "unpriced", "error")),
    }


def order() -> dict:
    """An order that takes `addItem` updates (refused once closed or for a quantity under 1) until `close`."""
    return {
        "identifier": "order",
        "name": "Order with updates",
        "description": "Lines are added by update, each answered with the line count; close returns the lines.",
        "nodes": [
            {"key": "start", "type": "start", "label": "Start", "config": {}},
            {"key": "lines", "type": "state", "label": "Lines", "config": {"name": "lines", "type": "list"}},
            {"key": "closed", "type": "state", "label": "Closed", "config": {"name": "closed", "type": "bool"}},
            {
                "key": "add-item",
                "type": "update_handler",
                "label": "Add item",
                "config": {
                    "name": "addItem",
                    "input_fields": [
                        {"name": "sku", "type": "str", "required": True},
                        {"name": "quantity", "type": "int", "default": 1},
                    ],
                    "validator": "not closed and payload['quantity'] > 0",
                    "reject_message": "the order is closed or the quantity is not positive",
                    "actions": [{"op": "append", "var": "lines", "value": "payload"}],
                    "result": "len(lines)",
                },
            },
            {
                "key": "close",
                "type": "update_handler",
                "label": "Close",
                "config": {
                    "name": "close",
                    "actions": [{"op": "set", "var": "closed", "value": "True"}],
                    "result": "lines",
                },
            },
            {"key": "wait-closed", "type": "wait", "label": "Until closed", "config": {"until": "closed"}},
            {"key": "done", "type": "end", "label": "Done", "config": {"result": "{'lines': lines}"}},
        ],
        "edges": _edges(("start", "wait-closed"), ("wait-closed", "done")),
    }


def workflow_documents() -> list[dict]:
    return [money_transfer(), approval(), price_quotes(), order()]
