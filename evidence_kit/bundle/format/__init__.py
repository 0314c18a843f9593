"""The bundle format alone (`evidence-bundle-v1`): standard library and `cryptography` only.

The vault and the exporter import from here; the verifier imports nothing else. A test loads
the verifier in a fresh interpreter and checks that no vault, Qt or imaging module came with it.
"""
