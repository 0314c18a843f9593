"""Provable redaction: derived copies that hide parts of a picture or of an import's messages,
each with a proof that anyone holding the original can check (see `pictures` and `messages`)."""

DISCLOSURE = "evidence-kit-disclosure-v1"  # the format of a file that opens hidden parts
