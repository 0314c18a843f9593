"""The report's self-contained HTML form.

Everything from evidence is text to the report: Jinja2 escapes it, `finalize` shows invisible
and bidi control characters as visible codes, no evidence value is ever put into a URL or an
attribute that can act, and images are inlined as data URIs of a fixed list of raster types.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

from evidence_kit.bundle.pictures import preview
from evidence_kit.bundle.report import ExhibitView, ReportContext, chart, visible
from evidence_kit.paths import resource_path


def _finalize(value: Any) -> Any:
    from markupsafe import Markup

    if value is None:
        return ""
    if isinstance(value, Markup):  # only base64 of pictures is marked safe (see image_chunks)
        return value
    return visible(value) if isinstance(value, str) else value


def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resource_path("report"))),
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.ChainableUndefined,  # importer data may lack a key: show nothing
    )


def image_chunks(vault: Any, sha256: str) -> Iterator[str]:
    """Base64 of stored bytes, streamed in pieces that each encode whole 3-byte groups.

    Marked safe: base64 holds only `A-Za-z0-9+/=`, nothing to escape (and megabytes to scan)."""
    from markupsafe import Markup

    rest = b""
    for chunk in vault.content_by_hash(sha256):
        data = rest + chunk
        cut = len(data) - len(data) % 3
        rest = data[cut:]
        yield Markup(base64.b64encode(data[:cut]).decode("ascii"))
    yield Markup(base64.b64encode(rest).decode("ascii"))


def render_html(ctx: ReportContext, vault: Any, *, image_budget: int = 64 << 20) -> Iterator[bytes]:
    """The report as UTF-8 chunks; pictures are inlined whole while within `image_budget` bytes."""
    budget = [image_budget]

    def image(v: ExhibitView) -> dict[str, Any] | None:
        if not v.is_image or v.sha256 is None:
            return None
        if v.size is not None and v.size <= budget[0]:
            budget[0] -= v.size
            return {"type": v.media_type, "chunks": image_chunks(vault, v.sha256), "full": True}
        small = preview(vault, v.item, 320)
        if small is None:
            return None
        return {"type": small[1], "chunks": iter([base64.b64encode(small[0]).decode()]),
                "full": False}  # fmt: skip

    def messages(v: ExhibitView) -> Iterator[dict[str, Any]]:
        return vault.messages(v.item.id)  # type: ignore[no-any-return]

    template = _environment().get_template("report.html")
    pending: list[str] = []
    size = 0
    for piece in template.generate(
        ctx=ctx, chart=chart(ctx.days), image=image, messages=messages, visible=visible
    ):
        pending.append(piece)
        size += len(piece)
        if size >= 1 << 20:
            yield "".join(pending).encode("utf-8")
            pending, size = [], 0
    yield "".join(pending).encode("utf-8")
