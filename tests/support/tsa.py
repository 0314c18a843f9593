"""A time-stamping authority for tests, on 127.0.0.1 only: `openssl ts -reply` behind a small HTTP
front-end. Its certificates are made here (cryptography): a root, the authority's signing
certificate (critical time-stamping purpose), an expired one, and one under a root nobody trusts.

`mode` changes what it answers, as a real authority, an accident or an attacker could:
"good", "chain" (the whole chain in the reply, certificate set as openssl orders it), "wrong-hash"
(a token over other data), "replay" (the previous reply again), "expired", "untrusted",
"garbage" (not a token at all), "http-500". `stop()` takes it off the network; `start()` brings
it back on the same port.
"""

from __future__ import annotations

import datetime
import hashlib
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CONFIG = """
[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
serial = {serial}
crypto_device = builtin
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _cert(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: x509.Certificate | None,
    issuer_key: ec.EllipticCurvePrivateKey,
    *,
    ca: bool,
    start: datetime.datetime,
    end: datetime.datetime,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer.subject if issuer else _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), True
        )
    else:
        builder = builder.add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False), True
        ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


class LocalTSA:
    def __init__(self, folder: Path, name: str = "Local Test TSA") -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        now = datetime.datetime.now(datetime.UTC)
        year = datetime.timedelta(days=365)
        root_key, tsa_key = (
            ec.generate_private_key(ec.SECP256R1()),
            ec.generate_private_key(ec.SECP256R1()),
        )
        self.root = _cert(
            "Local Test Root CA",
            root_key,
            None,
            root_key,
            ca=True,
            start=now - year,
            end=now + year,
        )
        self.cert = _cert(
            name, tsa_key, self.root, root_key, ca=False, start=now - year, end=now + year
        )
        expired = _cert(
            f"{name} (expired)",
            tsa_key,
            self.root,
            root_key,
            ca=False,
            start=now - 2 * year,
            end=now - year,
        )
        other_key = ec.generate_private_key(ec.SECP256R1())
        other_root = _cert(
            "Nobody's Root CA",
            other_key,
            None,
            other_key,
            ca=True,
            start=now - year,
            end=now + year,
        )
        stranger = _cert(name, tsa_key, other_root, other_key, ca=False, start=now - year, end=now + year)  # fmt: skip
        _write_key(folder / "tsa.key", tsa_key)
        for label, cert in (("root", self.root), ("tsa", self.cert), ("expired", expired),
                            ("other-root", other_root), ("stranger", stranger)):  # fmt: skip
            (folder / f"{label}.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        (folder / "chain.pem").write_bytes(
            (folder / "tsa.pem").read_bytes() + (folder / "root.pem").read_bytes()
        )
        (folder / "serial").write_text("01\n")
        (folder / "tsa.cnf").write_text(CONFIG.format(serial=folder / "serial"))
        self.root_pem = folder / "root.pem"
        self.mode = "good"
        self.requests = 0
        self.last_reply: bytes | None = None
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.port = 0
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/tsr"

    def start(self) -> None:
        tsa = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                size = int(self.headers.get("Content-Length", "0"))
                query = self.rfile.read(min(size, 1 << 16))
                status, body = tsa.answer(query)
                self.send_response(status)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _reply(self, query: bytes, signer: str, chain: bool = False) -> bytes:
        with self._lock:
            (self.folder / "q.tsq").write_bytes(query)
            command = ["openssl", "ts", "-reply", "-config", str(self.folder / "tsa.cnf"),
                       "-queryfile", str(self.folder / "q.tsq"), "-inkey", str(self.folder / "tsa.key"),
                       "-signer", str(self.folder / signer), "-out", str(self.folder / "r.tsr")]  # fmt: skip
            if chain:
                command += ["-chain", str(self.folder / "chain.pem")]
            subprocess.run(command, check=True, capture_output=True)
            return (self.folder / "r.tsr").read_bytes()

    def answer(self, query: bytes) -> tuple[int, bytes]:
        self.requests += 1
        mode = self.mode
        if mode == "http-500":
            return 500, b"busy"
        if mode == "garbage":
            return 200, b"<html>Service temporarily moved</html>"
        if mode == "replay" and self.last_reply is not None:
            return 200, self.last_reply
        if mode == "wrong-hash":
            other = self.folder / "other.bin"
            other.write_bytes(hashlib.sha256(query).digest())
            made = subprocess.run(["openssl", "ts", "-query", "-data", str(other), "-sha256", "-cert"],
                                  check=True, capture_output=True)  # fmt: skip
            query = made.stdout
        signer = {"expired": "expired.pem", "untrusted": "stranger.pem"}.get(mode, "tsa.pem")
        reply = self._reply(query, signer, chain=mode == "chain")
        self.last_reply = reply
        return 200, reply
