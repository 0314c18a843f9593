"""Every function the GUI runs on a worker thread, in one place.

Each takes a `Job` (the open vault, progress and cancel) first and returns a plain value that is
safe to hand to the GUI thread. None touches a widget or opens a dialog. Submit them with
`TaskRunner.submit`: a failure goes to `show_error` unless the caller handles it.

- `vault_ops`: create, open, close the vault; change or reset the passphrase; the timeline.
- `items`: one item with what the detail pane shows, pages of the timeline, notes, withdrawal,
  attachments, thumbnails, a plain copy of a file.
- `cases`: make, rename and fill cases; what a bundle of a case holds.
- `capture`, `importing`, `bundle`: the screen, message exports, sealed bundles.
- `messages`, `search`: a conversation's messages, and a search across everything.
"""
