"""Saving a quote's groups as a template. Everyone who works quotes shares templates; saving
one needs a quote the caller may see. A retry with the same client request id answers the
template the first call saved."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from quoting.application.changes import TEMPLATE, reachable_quote
from quoting.application.ports import Ports
from quoting.domain.limits import TEMPLATE_NAME
from quoting.domain.template import Template
from servicekit.context import current_principal
from servicekit.errors import InvalidArgument


@dataclass(frozen=True)
class SaveTemplate:
    quote_id: str
    name: str
    # The client's id for the call ("" when it gives none) and the call's content without it
    # (servicekit.idempotency.fingerprint), which a retry must repeat exactly.
    request_id: str = ""
    fingerprint: str = ""


SAVE = "save_template"


async def save_template(ports: Ports, command: SaveTemplate) -> Template:
    name = command.name.strip()
    if not name or len(command.name) > TEMPLATE_NAME:
        raise InvalidArgument.of("name", f"1-{TEMPLATE_NAME} characters")
    async with ports.uow() as uow:
        quote = await reachable_quote(uow, command.quote_id)
    template = Template(
        str(uuid.uuid4()),
        name,
        quote.content.groups,
        ports.clock.now(),
        current_principal().subject,
    )
    async with ports.uow() as uow:
        # a retry whose first try saved the template (its answer lost) gets that one back
        done = await uow.retries.claim(SAVE, command.request_id, command.fingerprint)
        if done is not None:
            first = await uow.templates.get(done)
            assert first is not None  # a claim is completed with the template it saved
            return first
        await uow.retries.complete(SAVE, command.request_id, template.id)
        await uow.templates.add(template)
        await uow.record(
            TEMPLATE,
            template.id,
            "created",
            after={
                "name": name,
                "quote_id": quote.id,
                "quote_version": quote.version,
                "groups": [group.name for group in template.groups],
            },
        )
    return template
