"""Password hashing (Argon2id) and the password rule."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import ValidationError

MAX_ATTEMPTS = 5
LOCK_MINUTES = 15
# OWASP's minimum Argon2id profile: 19 MiB, 2 iterations, 1 lane.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(hash_: str, password: str) -> bool:
    try:
        return _hasher.verify(hash_, password)
    except (VerificationError, InvalidHashError):
        return False


def validate_password(password: str) -> None:
    if len(password) < 6:
        raise ValidationError("密码至少 6 位", "The password needs at least 6 characters",
                              field="password")
