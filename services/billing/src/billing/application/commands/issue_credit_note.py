"""IssueCreditNote (reason "adjustment"): finance credits part of an invoice -- at most what no
credit note credited yet of its total -- or a free amount for a customer, which is all the
customer's credit (no invoice, no change to the open balance). A sales channel's refund (the
WooCommerce connector) comes as a free credit note with the refunded lines and their taxes,
naming its sales order (application/refunded_lines.py), and `paid_back`: the store gave the
money back, so the note leaves the customer no credit."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from billing.application.accounts import move_credit
from billing.application.channels import check_channel_invoice, check_channel_order
from billing.application.crediting import credit_invoice, issue_credit_note, left_to_credit
from billing.application.fields import MAX_ID, Amount, money_in
from billing.application.ports import UnitOfWork
from billing.application.reading import credit_note_of
from billing.application.refunded_lines import RefundedLine, credit_lines
from billing.application.retries import ISSUE_CREDIT_NOTE, Retry
from billing.domain.credit_notes import ADJUSTMENT, MAX_MEMO, CreditLine, CreditNote
from billing.domain.payments import FROM_CREDIT_NOTE
from billing.domain.receivables import check_amount
from pricing.money import Money
from servicekit.errors import Violations


@dataclass(frozen=True)
class IssueCreditNote:
    amount: Amount
    memo: str
    # Part of this invoice; else a free amount for `customer_id`.
    invoice_id: str = ""
    customer_id: str = ""
    retry: Retry = field(default_factory=Retry)
    # What a channel refunded, line by line; empty: an amount without lines.
    lines: tuple[RefundedLine, ...] = ()
    # The sales order a free credit note is for; "" none.
    order_id: str = ""
    # The customer was paid the money back already: a free credit note leaves no credit.
    paid_back: bool = False


async def issue_adjustment(uow: UnitOfWork, command: IssueCreditNote) -> CreditNote:
    problems = Violations()
    money = money_in(problems, "amount", command.amount)
    if money is not None:
        check_amount(problems, "amount", money)
    memo, customer_id = command.memo, command.customer_id
    if not memo.strip() or len(memo) > MAX_MEMO:
        problems.add("memo", f"required, at most {MAX_MEMO} characters")
    if not command.invoice_id and (not customer_id.strip() or len(customer_id) > MAX_ID):
        problems.add("customer_id", "required (at most 100 characters) without an invoice_id")
    if len(command.order_id) > MAX_ID:
        problems.add("order_id", f"at most {MAX_ID} characters")
    if command.paid_back and command.invoice_id:
        problems.add("paid_back", "only for a free credit note (no invoice_id)")
    lines = credit_lines(problems, command.lines, money)
    if not command.invoice_id or money is None:
        problems.raise_if_any()
    assert money is not None
    money = money.rounded()
    async with uow:
        done = await uow.requests.claim(ISSUE_CREDIT_NOTE, command.retry)
        if done is not None:
            return await credit_note_of(uow, done)
        if command.invoice_id:
            await check_channel_invoice(uow, command.invoice_id)
            note = await _against_invoice(uow, problems, command, money, lines)
        else:
            await check_channel_order(uow, command.order_id, "order_id")
            note = await issue_credit_note(
                uow,
                customer_id,
                money,
                money,
                ADJUSTMENT,
                memo=memo.strip(),
                lines=lines,
                order_id=command.order_id,
            )
            if not command.paid_back:
                await move_credit(uow, customer_id, money, FROM_CREDIT_NOTE, note.id)
        await uow.requests.complete(ISSUE_CREDIT_NOTE, command.retry, note.id)
        return await credit_note_of(uow, note.id)


async def _against_invoice(
    uow: UnitOfWork,
    problems: Violations,
    command: IssueCreditNote,
    money: Money,
    lines: list[CreditLine],
) -> CreditNote:
    """Part of the (locked) invoice credited; refused with every field at fault so far."""
    invoice = await uow.invoices.get(command.invoice_id, lock=True)
    if invoice is None:
        problems.add("invoice_id", f"no invoice {command.invoice_id}")
        problems.raise_if_any()
    assert invoice is not None
    if command.customer_id and command.customer_id != invoice.customer_id:
        problems.add("customer_id", f"invoice {invoice.number} is {invoice.customer_id}'s")
    if money.currency != invoice.currency:
        problems.add("amount.currency", f"must be the invoice's currency, {invoice.currency}")
    elif not problems.items:
        left = await left_to_credit(uow, invoice)
        if money.amount > left.amount:
            problems.add(
                "amount",
                f"exceeds what no credit note credited yet of the invoice, {left.rounded()}",
            )
    problems.raise_if_any()
    lines = [replace(line, invoice_id=invoice.id) for line in lines]
    return await credit_invoice(uow, invoice, lines, money, ADJUSTMENT, memo=command.memo.strip())
