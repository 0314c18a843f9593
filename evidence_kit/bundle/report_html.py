"""The report's self-contained HTML form.

Everything from evidence is text to the report: Jinja2 escapes it, `finalize` shows invisible
and bidi control characters as visible codes, no evidence value is ever put into a URL or an
attribute that can act, and images are inlined as data URIs of a fixed list of raster types.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

from evidence_kit.bundle.pictures import report_picture
from evidence_kit.bundle.report import KIND_TITLES, ExhibitView, ReportContext, chart, visible
from evidence_kit.bundle.report_case import header_lines
from evidence_kit.bundle.report_threads import Thread, side
from evidence_kit.paths import resource_path


def _finalize(value: Any) -> Any:
    from markupsafe import Markup

    if value is None:
        return ""
    if isinstance(value, Markup):  # only base64 of pictures is marked safe (see image)
        return value
    return visible(value) if isinstance(value, str) else value


def _environment() -> Any:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resource_path("report"))),
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.ChainableUndefined,  # importer data may lack a key: show nothing
    )
    environment.filters["joined"] = _joined
    return environment


def _joined(values: Any, separator: str = "; ") -> str:
    """Jinja's `join` returns markup, which `finalize` passes unchanged; this returns text, so
    the joined evidence is escaped and its control characters shown like any other value."""
    return separator.join(str(value) for value in values)


def render_html(ctx: ReportContext, vault: Any) -> Iterator[bytes]:
    """The report as UTF-8 chunks. Pictures are the stored previews, inlined; each links to the
    exact file in the bag by its relative path (our ASCII payload name, never evidence text)."""

    def image(v: ExhibitView) -> dict[str, Any] | None:
        if not v.is_image or v.sha256 is None:
            return None
        found = report_picture(vault, v.item)
        if found is None:
            return None
        from markupsafe import Markup

        return {
            "type": found.media_type,
            # Marked safe: base64 holds only `A-Za-z0-9+/=`, nothing to escape.
            "data": Markup(base64.b64encode(found.data).decode("ascii")),
            "width": found.width,
            "height": found.height,
            "href": f"../{v.exhibit.folder}/{v.exhibit.file}",
        }

    def thread_messages(thread: Thread) -> Iterator[dict[str, Any]]:
        return vault.conversation_messages(thread.item_id, thread.name)  # type: ignore[no-any-return]

    def sender(m: dict[str, Any]) -> str:
        if m.get("is_system") and not m.get("sender"):
            return "System"
        return side(m.get("sender"), m.get("sender_id"), ctx.case_file.persons)

    template = _environment().get_template("report.html")
    pending: list[str] = []
    size = 0
    for piece in template.generate(
        ctx=ctx,
        chart=chart(ctx.days),
        image=image,
        thread_messages=thread_messages,
        sender=sender,
        headers=header_lines,
        visible=visible,
        kind_titles=KIND_TITLES,
    ):
        pending.append(piece)
        size += len(piece)
        if size >= 1 << 20:
            yield "".join(pending).encode("utf-8")
            pending, size = [], 0
    yield "".join(pending).encode("utf-8")
