"""`evidence-kit capture`: grab the screen (all, one monitor, a region or the active window) into the vault."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import click

from evidence_kit.cli.root import Context, emit_json, mark, progress_bar
from evidence_kit.model import Item

pass_ctx = click.make_pass_decorator(Context)


def _platforms() -> list[str]:
    from evidence_kit.capture import PLATFORMS

    return list(PLATFORMS)


def _region(text: str) -> tuple[int, int, int, int]:
    from evidence_kit.capture.errors import BadRegion

    parts = [part.strip() for part in text.split(",")]
    try:
        x, y, w, h = (int(part) for part in parts)
    except ValueError:
        raise BadRegion(
            f"The region {text!r} is not four whole numbers X,Y,WIDTH,HEIGHT.",
            hint="For example --region 100,200,800,600 (pixels from the top-left of the screen).",
        ) from None
    return x, y, w, h


def _summary(item: Item) -> dict[str, Any]:
    meta = item.metadata
    shot = meta.get("capture", {})
    place = meta.get("place", {})
    derived = meta.get("derived")
    return {
        "item_id": item.id,
        "kind": item.kind.value,
        "parent_id": item.parent_id,
        "sha256": item.sha256,
        "size": item.size,
        "media_type": item.media_type,
        "original_name": item.original_name,
        "case": item.case,
        "captured_at_utc": shot.get("captured_at_utc"),
        "captured_at_local": shot.get("captured_at_local"),
        "timezone": shot.get("timezone"),
        "utc_offset": shot.get("utc_offset"),
        "before_utc": shot.get("before_utc"),
        "after_utc": shot.get("after_utc"),
        "posted": meta.get("posted"),
        "method": shot.get("method"),
        "monitor": shot.get("monitor"),
        "region": shot.get("region"),
        "rectangle": derived.get("rectangle") if derived else None,
        "from_sha256": derived.get("from_sha256") if derived else None,
        "url": place.get("url"),
        "platform": place.get("platform"),
        "account": place.get("account"),
        "window_title": place.get("window_title"),
        "application": place.get("application"),
        "description": meta.get("description"),
    }


@click.command()
@click.option("--all", "all_monitors", is_flag=True, help="All monitors (the default).")
@click.option("--monitor", type=int, default=None, metavar="N", help="Only monitor N (1, 2, …).")
@click.option("--region", default=None, metavar="X,Y,W,H", help="A rectangle, in screen pixels.")
@click.option("--window", "active_window", is_flag=True, help="The active window.")
@click.option(
    "--delay",
    type=click.FloatRange(0, 600),
    default=0,
    metavar="SECONDS",
    help="Wait this long first (to open a menu or switch windows).",
)
@click.option("--url", default=None, help="The web address of what is shown.")
@click.option(
    "--platform",
    type=click.Choice(_platforms(), case_sensitive=False),
    default=None,
    help="Where it was posted.",
)
@click.option("--account", default=None, help="The account or handle that posted it.")
@click.option("--description", default=None, help="What happened, in your words.")
@click.option("--posted-at", "posted_at", default=None, metavar="ISO",
              help="The time shown on the post (ISO 8601; without an offset, in this computer's zone).")  # fmt: skip
@click.option("--note", default=None, help="A first note to keep with the screenshot.")
@click.option("--case", "case", default=None, help="Put it in this case (made if new).")
@click.option("--json", "as_json", is_flag=True, help="Print the items made as JSON.")
@pass_ctx
def capture(
    ctx: Context,
    all_monitors: bool,
    monitor: int | None,
    region: str | None,
    active_window: bool,
    delay: float,
    url: str | None,
    platform: str | None,
    account: str | None,
    description: str | None,
    posted_at: str | None,
    note: str | None,
    case: str | None,
    as_json: bool,
) -> None:
    """Capture the screen now, with the time, the place and what you tell about it."""
    from evidence_kit.capture import (
        Details,
        Target,
        check_session,
        preload,
        prepare,
        save_capture,
        take,
    )

    chosen = sum([all_monitors, monitor is not None, region is not None, active_window])
    if chosen > 1:
        raise click.UsageError("Choose one of --all, --monitor, --region and --window.")
    if monitor is not None:
        target = Target.one_monitor(monitor)
    elif region is not None:
        target = Target.area(*_region(region))
    elif active_window:
        target = Target.active_window()
    else:
        target = Target.all_monitors()
    from evidence_kit.evidence_time import posted_metadata

    posted = posted_metadata(posted_at) if posted_at else None  # a bad time: said before the grab
    check_session()  # no display: say so before asking for the passphrase
    preload()  # what the grab imports: start-up, not the capture timed from `started`
    details = Details(url, platform, account, description, case, note, posted)
    mark("started")
    if delay > 0:
        click.echo(f"Capturing in {delay:g} seconds…", err=True)
    # The screen is grabbed first, as the command is given (the pixels stay in memory), and
    # encoded while the vault is unlocked (Argon2 leaves the other core free); then it is saved:
    # what was on the screen is what was asked for, even while the passphrase is typed.
    frame = take(target, delay=delay)
    mark("grabbed")
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="capture-prepare") as pool:
        prepared = pool.submit(prepare, frame)
        with ctx.vault() as vault, progress_bar("Saving the screenshot", 4) as progress:
            items = save_capture(
                vault, frame, details, prepared=prepared.result(), progress=progress
            )
            mark("committed")
    if items[0].metadata["capture"].get("display_server") == "XWayland":
        click.echo(
            "Note: this is a Wayland desktop; only windows of X11 programs show in this capture "
            "(others may be black). An 'Xorg' session shows everything.",
            err=True,
        )
    if as_json:
        emit_json([_summary(item) for item in items])
        return
    full = items[0]
    shot = full.metadata["capture"]
    place = full.metadata["place"]
    click.echo(
        f"Captured item {full.id} at {shot['captured_at_local']} ({shot['timezone']}); "
        f"UTC {shot['captured_at_utc']}."
    )
    click.echo(f"  SHA-256 {full.sha256}")
    click.echo(f"  Window: {place['window_title']} ({place['application']})")
    for item in items[1:]:
        rect = item.metadata["derived"]["rectangle"]
        click.echo(f"Kept the {shot['method']} as item {item.id}, cropped to {rect}.")
        click.echo(f"  SHA-256 {item.sha256}")


COMMANDS = [capture]
