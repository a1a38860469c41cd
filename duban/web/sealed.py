"""Secrets the application must send on (an SMTP password) are stored sealed, never in plain text.

Sealed with Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) under a key derived by HKDF
from Django's ``SECRET_KEY``; ``SECRET_KEY_FALLBACKS`` still open what older keys sealed, so a key
can be rotated.  A database copied without its data folder's ``secret_key`` file cannot open them:
the channel then fails with a sentence asking for the password again (docs/deploy.md).
"""

from __future__ import annotations

import base64

from django.conf import settings

PREFIX = "sealed:v1:"
# Binds the derived key to this one use: a key for sealing passwords is no key for anything else.
_PURPOSE = b"duban.sealed.v1"


class Unsealable(Exception):
    """Sealed under a key this server no longer has."""


def _fernet(secret: str):
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_PURPOSE, info=b"fernet").derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _box():
    from cryptography.fernet import MultiFernet

    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(k) for k in keys])


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def seal(text: str) -> str:
    """What is stored for ``text``; empty stays empty, a sealed value is not sealed twice."""
    if not text or is_sealed(text):
        return text
    return PREFIX + _box().encrypt(text.encode("utf-8")).decode("ascii")


def unseal(stored: str) -> str:
    """The text a stored value holds; plain text stored before sealing existed reads as itself."""
    if not is_sealed(stored):
        return stored
    from cryptography.fernet import InvalidToken

    try:
        return _box().decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError, UnicodeError) as exc:
        raise Unsealable("密码是用另一个服务器密钥加密的，本服务器无法解开，请重新填写") from exc
