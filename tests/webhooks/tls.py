"""Certificates for the tests' HTTPS receivers: a throwaway authority, a server context certified for one name by
it, and a client context that trusts that authority alone (nothing here is on disk for longer than a load)."""
from __future__ import annotations

import datetime as dt
import ssl
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


class Authority:
    """Signs server certificates; `client()` is a context that trusts only it."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ERDM test authority")])
        self.certificate = (_builder(name, name, self.key.public_key())
                            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                            .sign(self.key, hashes.SHA256()))

    def client(self) -> ssl.SSLContext:
        return ssl.create_default_context(cadata=self.certificate.public_bytes(serialization.Encoding.PEM).decode())

    def server(self, hostname: str, *, heard: list[str] | None = None) -> ssl.SSLContext:
        """A server context whose certificate names `hostname`; each client's SNI name is appended to `heard`."""
        key = ec.generate_private_key(ec.SECP256R1())
        certificate = (_builder(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)]),
                                self.certificate.subject, key.public_key())
                       .add_extension(x509.SubjectAlternativeName([x509.DNSName(hostname)]), critical=False)
                       .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                       .sign(self.key, hashes.SHA256()))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        with tempfile.TemporaryDirectory() as folder:
            chain, secret = Path(folder, "chain.pem"), Path(folder, "key.pem")
            chain.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
            secret.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                 serialization.NoEncryption()))
            context.load_cert_chain(chain, secret)
        if heard is not None:
            context.sni_callback = lambda _socket, name, _context: heard.append(name)
        return context


def _builder(subject: x509.Name, issuer: x509.Name, public_key) -> x509.CertificateBuilder:
    now = dt.datetime.now(dt.UTC)
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1)))
