"""Sealed bundles: export (from a vault), verify (no vault), and the bundle format they share.

`bundle.format` is the trust anchor: the layout, canonical custody JSON and its chain check,
key forms and fingerprints, BagIt tag files, SSH signatures and zip safety. It imports only the
standard library and `cryptography`, so what a recipient runs stays small and separate.
"""
