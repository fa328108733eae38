"""The password policy of local accounts (PRODUCT.md §8) and the hash they are kept as.

A new password (an account added, a password changed or reset) must:

1. be at least :data:`PASSWORD_MIN_LENGTH` characters long (ANSSI's guidance for passwords
   protecting sensitive data: 12 characters; a passphrase is best);
2. not be a common password: not in zxcvbn's list of the 30,000 passwords most found in public
   leaks (case ignored, common substitutions such as ``P@ssw0rd`` undone), nor made for half its
   length or more of such passwords (``Motdepasse2026!``);
3. not be easy to guess: zxcvbn's score (0–4, an estimate of the guesses an attacker needs,
   Wheeler 2016, "zxcvbn: low-budget password strength estimation", USENIX Security) at least
   :data:`MIN_SCORE`, the account's name and "rempart" counted as known words.

The strength is estimated on the first 72 characters (zxcvbn's limit); a longer passphrase is
accepted whole. Hashes are Argon2id (argon2-cffi, RFC 9106's second recommended parameters).
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn

from roadmap.errors import WeakPasswordError

PASSWORD_MIN_LENGTH = 12
"""Shortest password accepted for a local account (ANSSI: 12 characters)."""
MIN_SCORE = 3
"""Least zxcvbn score accepted (3: "safely unguessable", about 10^10 guesses or more)."""
_ZXCVBN_MAX = 72

HASHER = PasswordHasher()  # Argon2id, RFC 9106 "second recommended option" parameters


def check_password(password: str, *, name: str = "") -> None:
    """Check a new password against the policy (see the module's docstring).

    Args:
        password: the new password, as typed.
        name: the account's name, which the password must not be built from.

    Raises:
        WeakPasswordError: too short, a common password, or too easy to guess; ``reason`` says which.
    """
    if len(password) < PASSWORD_MIN_LENGTH:
        raise WeakPasswordError(
            f"password too short: at least {PASSWORD_MIN_LENGTH} characters, a passphrase is best",
            reason="short",
            minimum=PASSWORD_MIN_LENGTH,
        )
    known = [word for word in (name, "rempart") if word]
    estimate = zxcvbn(password[:_ZXCVBN_MAX], user_inputs=known)
    common = sum(len(m["token"]) for m in estimate["sequence"] if m.get("dictionary_name") == "passwords")
    if 2 * common >= len(password[:_ZXCVBN_MAX]):
        raise WeakPasswordError(
            "this password is in the list of the most common passwords: choose another (a passphrase is best)",
            reason="common",
            minimum=PASSWORD_MIN_LENGTH,
        )
    if estimate["score"] < MIN_SCORE:
        hint = estimate["feedback"].get("warning") or "it is built from common words, names or patterns"
        raise WeakPasswordError(
            f"password too easy to guess ({hint.rstrip('.')}): add words, a passphrase is best",
            reason="guessable",
            minimum=PASSWORD_MIN_LENGTH,
        )


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password`` (a PHC string with its salt and parameters)."""
    return HASHER.hash(password)


def verify_password(hashed: str, password: str) -> bool:
    """True when ``password`` matches ``hashed``; False for a mismatch or a damaged hash."""
    try:
        return HASHER.verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(hashed: str) -> bool:
    """True when ``hashed`` was made with older parameters than :data:`HASHER`'s."""
    return HASHER.check_needs_rehash(hashed)
