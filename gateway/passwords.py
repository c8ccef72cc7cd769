"""People's passwords: argon2id (memory-hard), checked in about the same time whether or not the person exists."""
from __future__ import annotations

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
MAX_LENGTH = 256  # far past any passphrase; bounds what one sign-in makes the gateway hash

# argon2-cffi's defaults are RFC 9106's low-memory profile: argon2id, 64 MiB, 3 passes, 4 lanes.
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """The encoded argon2id hash (parameters, salt and hash in one string) to store instead of the password."""
    return _hasher.hash(password)


def verify(stored_hash: str | None, password: str) -> bool:
    """Whether `password` is the one `stored_hash` was made from. Without a hash (no such person) a dummy one
    is checked instead, so an unknown username takes as long to refuse as a wrong password."""
    try:
        return _hasher.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with other parameters than today's (rehashed at the next sign-in)."""
    return _hasher.check_needs_rehash(stored_hash)


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash("not anyone's password")
