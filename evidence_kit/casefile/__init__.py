"""The case file: what happened (incidents), who (people), the law it may touch (offences), the
person's own words (statement) and one chronology — the layer above the evidence items.

`model.py` holds the shapes the vault, the CLI, the GUI and the report share.
"""
