"""A case as a union rep would compile it (fictional people): Priya Sharma, reported person
Gareth Holloway; a WhatsApp chat in which Priya deleted a message and whose photos were left out
of the export, with times in the hour the clocks went back; an SMS backup with three threads
in the file's own order (24 Nov before 20 Nov); an e-mail; a screenshot whose file name and URL
are 300 characters long; an offline incident with a witness and no evidence."""

from __future__ import annotations

from typing import Any

from evidence_kit.casefile.model import (
    CaseFile,
    CourseOfConduct,
    Identifier,
    Incident,
    MessageRange,
    Offence,
    Person,
    Statement,
)
from evidence_kit.model import ItemKind
from evidence_kit.vault import Vault
from tests.bundle.conftest import CASE, add_screenshot, capture_meta, png

LONG_NAME = ("Screenshot_2026-11-24_Facebook-Riverside-Depot-Staff-Group-post-by-Gareth-Holloway-"
             * 4)[:296] + ".png"  # fmt: skip
LONG_URL = ("https://www.facebook.com/groups/riverside.depot.staff/posts/pfbid0"
            + "Zq8XkR2vT7mLpN4sWc9Yd3HjB6fGa1E" * 9)[:300]  # fmt: skip
STATEMENT = (
    'On Friday 20 November Gareth told me in front of Dana that I was "finished here".\n\n'
    "Since then he has messaged me most evenings.   I stopped replying on the 24th.\n"
    "<script>alert('statement')</script> is what he pasted into the group chat."
)
GARETH = Person(1, 1, "Gareth Holloway", "reported person",
                (Identifier("phone", "+447700900123"), Identifier("email", "gareth@riverside.example")))  # fmt: skip
PRIYA = Person(2, 1, "Priya Sharma", "the person", (Identifier("phone", "+447700900456"),))
DANA = Person(3, 1, "Dana Okafor", "witness")
KEV = Person(4, 1, "Kev\u202eniaga", "involved")  # a name with a direction override
PHA_S2 = Offence("PHA1997-s2", "Protection from Harassment Act 1997", "s.2",
                 "Harassing someone by a course of conduct.",
                 "a course of conduct: two or more occasions")  # fmt: skip
OSA_S181 = Offence("OSA2023-s181", "Online Safety Act 2023", "s.181",
                   "Sending a message that threatens death or serious harm.",
                   "a threat meant, or likely, to make the person fear it will be carried out",
                   fear_of_violence=True)  # fmt: skip


def message(idx: int, conversation: str | None, sender: str | None, sender_id: str | None,
         utc: str, local: str, text: str, **more: Any) -> dict[str, Any]:  # fmt: skip
    return {"idx": idx, "conversation": conversation, "sender": sender, "sender_id": sender_id,
            "is_system": False, "sent_at": local, "sent_at_utc": utc, "sent_at_local": local[:19],
            "text": text, "text_raw": text, "attachments": more.pop("attachments", []),
            "extra": more.pop("extra", {}), **more}  # fmt: skip


def add_import(vault: Vault, name: str, fmt: str, label: str, raw: bytes,
            messages: list[dict[str, Any]], summary: dict[str, Any]) -> int:  # fmt: skip
    with vault.transaction() as w:
        sha, size = w.put([raw])
        item = w.add_item(ItemKind.IMPORT, sha256=sha, size=size, media_type="text/plain",
                          original_name=name, case=CASE,
                          metadata={"import": {"format": fmt, "label": label,
                                               "timezone": "Europe/London"}})  # fmt: skip
        w.add_messages(item.id, messages)
        w.record_import(item.id, fmt, "Europe/London", {"message_count": len(messages), **summary})
    return item.id


def populate_case(vault: Vault) -> dict[str, int]:
    ids: dict[str, int] = {}
    whatsapp = [
        message(0, "Gareth Holloway", "Gareth Holloway", "+447700900123", "2026-10-25T00:40:00Z",
             "2026-10-25T01:40:00+01:00", "Final warning. You know what happens next."),
        message(1, "Gareth Holloway", "Priya Sharma", None, "2026-10-25T01:20:00Z",
             "2026-10-25T01:20:00+00:00", "This message was deleted", deleted=True),
        message(2, "Gareth Holloway", "Gareth Holloway", "+447700900123", "2026-10-25T09:02:00Z",
             "2026-10-25T09:02:00+00:00", "<IMG-20261025-WA0003.jpg omitted>",
             attachments=[{"name": "IMG-20261025-WA0003.jpg", "omitted": True, "present": False}]),
    ]  # fmt: skip
    ids["whatsapp"] = add_import(
        vault, "WhatsApp Chat with Gareth Holloway.txt", "whatsapp", "WhatsApp chat",
        b"25/10/2026, 01:40 - Gareth Holloway: Final warning.\n", whatsapp,
        {"repeated_hour_messages": 2, "nonexistent_time_messages": 0, "attachment_count": 1,
         "attachments_present": 0,
         "warnings": [{"line": None, "text": "2 messages fall in the hour the clocks went back "
                       "in Europe/London; each was placed by its order in the file."}]},
    )  # fmt: skip
    sms = [  # the backup's own order: by contact, then anyhow
        message(0, "+447700900123", "+447700900123", "+447700900123", "2026-11-24T18:05:00Z",
             "2026-11-24T18:05:00+00:00", "You've got till Friday"),
        message(1, "+447700900123", "+447700900123", "+447700900123", "2026-11-20T19:30:00Z",
             "2026-11-20T19:30:00+00:00", "Don't bother coming in Monday"),
        message(2, "Dana Okafor", "Priya Sharma", "+447700900456", "2026-11-21T08:00:00Z",
             "2026-11-21T08:00:00+00:00", "Did you hear what he said on Friday?"),
        message(3, "Mum", "Mum", "+447700900999", "2026-11-22T12:00:00Z",
             "2026-11-22T12:00:00+00:00", "Call me love x"),
        message(4, "+447700900123", "Priya Sharma", "+447700900456", "2026-11-22T07:15:00Z",
             "2026-11-22T07:15:00+00:00", "Please stop texting me"),
    ]  # fmt: skip
    ids["sms"] = add_import(vault, "sms-20261125.xml", "sms", "SMS Backup & Restore", b"<smses/>",
                         sms, {})  # fmt: skip
    headers = {"from": "Gareth Holloway <gareth@riverside.example>",
               "to": "Priya Sharma <priya@riverside.example>", "cc": "hr@riverside.example",
               "subject": "Your position", "date": "Tue, 24 Nov 2026 09:14:00 +0000"}  # fmt: skip
    mail = [message(0, "Your position", "Gareth Holloway", "gareth@riverside.example",
                 "2026-11-24T09:14:00Z", "2026-11-24T09:14:00+00:00",
                 "I have spoken to the board about you.", extra={"headers": headers})]  # fmt: skip
    ids["email"] = add_import(vault, "Your position.eml", "email", "E-mail", b"From: x\n", mail, {})
    ids["long"] = add_screenshot(vault, png(text="long"),
                                 capture_meta(LONG_URL, description="Post in the staff group"),
                                 name=LONG_NAME)  # fmt: skip
    ids["nourl"] = add_screenshot(vault, png(text="no url"),
                                  capture_meta(None, description="Story, since deleted"),
                                  name="story.png")  # fmt: skip
    return ids


def case_file(ids: dict[str, int], *, statement: bool = True) -> CaseFile:
    chat = Incident(1, 1, 1, "2026-10-25T01:40:00+01:00", None, "Europe/London", "Final warning",
                    what="Gareth sent a threat at night.", where="WhatsApp",
                    people=(1,), offences=("OSA2023-s181",), references=("WA-REPORT-2231",),
                    items=(ids["whatsapp"],), messages=(MessageRange(ids["whatsapp"], 0, 1),))  # fmt: skip
    depot = Incident(2, 1, 1, "2026-11-20T16:45:00+00:00", "2026-11-20T17:00:00+00:00",
                     "Europe/London", "Told I was finished, in the car park",
                     what="Said in front of Dana.", where="Riverside Depot car park",
                     impact="I could not sleep. <img src=x onerror=alert(1)><a href='javascript:alert(2)'>x</a>", people=(1,), witnesses=(3,),
                     offences=("PHA1997-s2",))  # fmt: skip
    texts = Incident(3, 2, 1, "2026-11-24T18:05:00+00:00", None, "Europe/London",
                     "You've got till Friday", people=(1, 4), offences=("PHA1997-s2",),
                     items=(ids["long"],), messages=(MessageRange(ids["sms"], 0, 0),))  # fmt: skip
    conduct = CourseOfConduct(1, 3, ("2026-10-25", "2026-11-20", "2026-11-24"),
                              ("WhatsApp", "in person", "SMS"), fear_of_violence_occasions=2)  # fmt: skip
    return CaseFile(
        case_name=CASE,
        incidents=(texts, chat, depot),  # given out of order: the report orders them
        people=(GARETH, PRIYA, DANA, KEV),
        statement=Statement(1, 3, STATEMENT, "2026-11-26T10:00:00Z") if statement else None,
        conduct=(conduct,),
        offences=(PHA_S2, OSA_S181),
    )
