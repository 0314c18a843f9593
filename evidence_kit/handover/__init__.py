"""Hand-over: a rep's vault takes in a bundle the person gave them (`receive`), keeping its
bytes, records and the sender's seal exactly, so the rep's own bundles can carry that seal on."""
