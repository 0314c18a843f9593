"""Every item model passes qtmodeltester, empty and filled; rows load in pages."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from evidence_kit.importers.run import import_file
from evidence_kit.model import Case
from evidence_kit.ui.models import items as items_module
from evidence_kit.ui.models.cases import ALL, CaseListModel
from evidence_kit.ui.models.custody import CustodyModel
from evidence_kit.ui.models.items import ItemListModel
from evidence_kit.ui.models.messages import MessageListModel
from evidence_kit.ui.models.thumbnails import ThumbnailCache
from tests.ui.conftest import run_task
from tests.ui.demo import add_screenshots
from tests.ui.fake_importer import FakeChatImporter, write_chat


def test_case_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = CaseListModel()
    qtmodeltester.check(model)
    now = datetime(2026, 3, 14, tzinfo=UTC)
    model.set_cases([Case(1, "Work", now, 3), Case(2, "Home", now, 1)], uncased=2, total=6)
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == f"{ALL} (6)" and model.case_name(2) == "Home"
    assert model.index(3, 0).data() == "Not in a case yet (2)" and model.entry(3).uncased
    assert model.row_of("Home") == 2 and model.row_of(None) == 0
    assert model.row_of(None, uncased=True) == 3


def test_item_model_loads_pages_and_thumbnails(
    qtbot, qtmodeltester, open_runner, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(items_module, "PAGE", 2)
    ids = run_task(qtbot, open_runner, lambda job: add_screenshots(job, 5))
    cache = ThumbnailCache(open_runner)
    qtmodeltester.check(ItemListModel(open_runner, cache))  # empty
    model = ItemListModel(open_runner, cache)
    model.set_ids(ids)
    assert model.index(4, 0).data() == "Loading…"
    qtbot.waitUntil(lambda: model.item(4) is not None, timeout=10_000)
    assert model.item(0) is None  # only the page that was asked for was loaded
    assert model._asked == {2}
    qtmodeltester.check(model)
    for row in range(5):
        model.index(row, 2).data()  # a view showing the row asks for its page
    qtbot.waitUntil(lambda: all(model.item(r) is not None for r in range(5)), timeout=10_000)
    qtmodeltester.check(model)
    qtbot.waitUntil(lambda: cache.get(ids[0]) is not None, timeout=10_000)
    assert cache.get(ids[0]).width() <= 96


def test_custody_model(qtbot, qtmodeltester, open_runner) -> None:  # type: ignore[no-untyped-def]
    events = run_task(qtbot, open_runner, lambda job: job.need_vault().custody_events())
    model = CustodyModel()
    qtmodeltester.check(model)
    model.set_events(events)
    qtmodeltester.check(model)
    assert model.index(0, 1).data() == "vault created"


def test_message_model_pages_and_search(
    qtbot, qtmodeltester, open_runner, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from evidence_kit.importers import registry
    from evidence_kit.ui.models import messages

    monkeypatch.setattr(registry, "importers", lambda: [FakeChatImporter()])
    monkeypatch.setattr(messages, "PAGE", 7)
    chat = write_chat(tmp_path / "chat.txt", 30)
    result = run_task(qtbot, open_runner, lambda job: import_file(job.need_vault(), chat, tz="UTC"))
    model = MessageListModel(open_runner)
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.modelReset, timeout=10_000):
        model.show_import(result.item.id)
    assert model.rowCount() == 30
    qtmodeltester.check(model)
    for row in range(30):
        model.index(row, 0).data()  # a view showing the row asks for its page
    qtbot.waitUntil(lambda: len(model._rows) == 30, timeout=10_000)
    assert [model.index(r, 0).data().split("number ")[1].split(" ")[0] for r in range(30)] == [
        str(n) for n in range(30)
    ]
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.modelReset, timeout=10_000):
        model.search("nobody says this")
    assert model.rowCount() == 0
    with qtbot.waitSignal(model.modelReset, timeout=10_000):
        model.search("sam 2")  # Sam writes the odd numbers; 2 is "Me"
    assert [model.index(r, 0).data().split("number ")[1].split(" ")[0] for r in range(5)] == [
        "21",
        "23",
        "25",
        "27",
        "29",
    ]
    qtmodeltester.check(model)


def test_item_ids_follow_evidence_time_and_case(qtbot, open_runner) -> None:  # type: ignore[no-untyped-def]
    later = run_task(qtbot, open_runner, lambda job: add_screenshots(job, 2, case="Work"))
    from tests.ui.demo import png, screenshot_metadata

    def earlier(job):  # type: ignore[no-untyped-def]
        from evidence_kit.model import ItemKind

        with job.need_vault().transaction() as writer:
            sha, size = writer.put([png()])
            item = writer.add_item(
                ItemKind.SCREENSHOT,
                sha256=sha,
                size=size,
                media_type="image/png",
                case="Home",
                metadata=screenshot_metadata("2026-01-01T08:00:00.000000Z", "u", "a", "d"),
            )
            child = writer.add_item(
                ItemKind.ATTACHMENT, sha256=sha, size=size, case="Home", parent_id=item.id
            )
        return item.id, child.id

    first, child = run_task(qtbot, open_runner, earlier)
    vault_ids = lambda case=None, top=True: run_task(  # noqa: E731
        qtbot, open_runner, lambda job: job.need_vault().item_ids(case, top_level=top)
    )
    assert vault_ids() == [first, *later]  # captured earlier, shown first though added last
    assert child in vault_ids(top=False) and child not in vault_ids()  # attachments: inside
    assert vault_ids("Home") == [first]
    assert vault_ids("Work") == later


def test_a_long_conversation_loads_only_what_is_shown_and_forgets_what_is_far(
    qtbot, open_runner, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Laying out a conversation reads every row's text: a view that asks for the rows it shows
    (`driven`) must not load every page by that, and what is far from the view is let go."""
    from evidence_kit.importers import registry
    from evidence_kit.ui.models import messages

    monkeypatch.setattr(registry, "importers", lambda: [FakeChatImporter()])
    from evidence_kit.ui.operations import messages as operations

    monkeypatch.setattr(messages, "PAGE", 5)
    monkeypatch.setattr(operations, "PAGE", 5)
    monkeypatch.setattr(messages, "KEEP_PAGES", 1)
    chat = write_chat(tmp_path / "chat.txt", 60)
    result = run_task(qtbot, open_runner, lambda job: import_file(job.need_vault(), chat, tz="UTC"))
    model = MessageListModel(open_runner)
    model.driven = True
    with qtbot.waitSignal(model.modelReset, timeout=10_000):
        model.show_import(result.item.id)
    for row in range(60):
        assert model.index(row, 0).data() == "Loading…"  # the layout's reads load nothing
    qtbot.wait(200)
    assert model._rows == {}
    model.want_rows(0, 9)
    qtbot.waitUntil(lambda: set(model._rows) == set(range(10)), timeout=10_000)
    assert "number 3" in model.index(3, 0).data()
    model.want_rows(50, 59)  # the view is now at the end: the start is far, and let go
    qtbot.waitUntil(lambda: set(model._rows) == set(range(50, 60)), timeout=10_000)
    model.want_rows(0, 4)  # and back: asked for again
    qtbot.waitUntil(lambda: 0 in model._rows, timeout=10_000)
    assert "number 0" in model.index(0, 0).data()


def test_background_work_waits_for_what_a_person_waits_for(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Thumbnails are background work: a page of the list asked for later still runs first."""
    import threading

    from evidence_kit.ui.tasks import TaskRunner

    runner = TaskRunner()
    gate, order = threading.Event(), []
    try:
        runner.submit(lambda job: gate.wait(10))  # holds the worker while the queue fills
        for n in range(3):
            runner.submit(lambda job, n=n: order.append(f"thumbnail {n}"), background=True)
        last = runner.submit(lambda job: order.append("page"))
        gate.set()
        qtbot.waitUntil(lambda: len(order) == 4, timeout=10_000)
        assert order[0] == "page" and last.done is not None
    finally:
        runner.stop()
