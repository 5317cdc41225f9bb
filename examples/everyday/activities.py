"""The examples' activities: withdraw, deposit and refund for the money transfer, a price lookup for the fan-out.

They keep no balances (an example, not a bank): a deposit into an account
whose name starts with "closed" fails for good, which is what the saga's
refund-then-fail path is for.
"""

from __future__ import annotations

from temporalio.exceptions import ApplicationError

from compiler.activities.registry import register_activity


@register_activity("withdraw", "Takes an amount from an account; returns a receipt.")
async def withdraw(account: str, amount: int) -> dict:
    return {"account": account, "amount": -amount}


@register_activity("deposit", "Puts an amount into an account; a closed account refuses it.")
async def deposit(account: str, amount: int) -> dict:
    if account.startswith("closed"):
        raise ApplicationError(f"account {account} is closed", type="AccountClosed", non_retryable=True)
    return {"account": account, "amount": amount}


@register_activity("refund", "Gives a withdrawn amount back to its account.")
async def refund(account: str, amount: int) -> dict:
    return {"account": account, "amount": amount}


@register_activity("quote_price", "The price of a stock-keeping unit, in cents; an unknown one fails for good.")
async def quote_price(sku: str) -> int:
    if sku.startswith("unknown"):
        raise ApplicationError(f"no price for {sku}", type="UnknownSku", non_retryable=True)
    return 100 * len(sku)
