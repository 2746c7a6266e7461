"""Partner secrets (only their scrypt hash is stored) and the partner page's session cookie.

A session cookie is `partner.expiry.mac`, the MAC keyed by the partner's stored hash: a new
secret (which revokes the old) also ends every session signed in with the old one, and
no other server-side secret is needed for replicas to agree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from smartmed.ops.stats.store import Store

# ASCII digits only: str.isdigit() takes "²", which int() then refuses.
_EXPIRY = re.compile(r"[0-9]{1,12}")

# scrypt with N=2^14, r=8, p=1 (16 MB, some 50 ms a check): the secrets are 256 random
# bits, so the hash must only make a leaked table useless, not stretch a weak password;
# a higher N would make each stats request and each concurrent check much dearer.
N, R, P = 2**14, 8, 1
MAXMEM = 64 * 1024 * 1024
SESSION_SECONDS = 8 * 3600
COOKIE = "__Host-smartmed-partner"


def _hash(secret: str, salt: bytes) -> bytes:
    return hashlib.scrypt(secret.encode(), salt=salt, n=N, r=R, p=P, maxmem=MAXMEM, dklen=32)


def issue(store: Store, partner: str, now: dt.datetime) -> str:
    """A new secret for the partner, returned once; the store keeps only its hash."""
    # It names its partner (no secret in that): a check hashes once, for that partner.
    secret = f"{partner}.{secrets.token_urlsafe(32)}"
    salt = secrets.token_bytes(16)
    store.set_token(partner, salt, _hash(secret, salt), now)
    return secret


def check(store: Store, partner: str, secret: str) -> bytes | None:
    """The stored hash when `secret` is the partner's current one, else None."""
    stored = store.token(partner)
    if stored is None or not secret or len(secret) > 200:
        return None
    salt, digest = stored
    return digest if hmac.compare_digest(_hash(secret, salt), digest) else None


def _mac(key: bytes, partner: str, expiry: int) -> str:
    return hmac.new(key, f"{partner}.{expiry}".encode(), hashlib.sha256).hexdigest()


def session(partner: str, key: bytes, now: dt.datetime) -> str:
    expiry = int(now.timestamp()) + SESSION_SECONDS
    return f"{partner}.{expiry}.{_mac(key, partner, expiry)}"


def session_partner(store: Store, cookie: str, now: dt.datetime) -> str | None:
    """The partner a session cookie signs in, if it is genuine, current and unexpired."""
    partner, _, rest = cookie.partition(".")
    expiry_text, _, mac = rest.partition(".")
    if _EXPIRY.fullmatch(expiry_text) is None or int(expiry_text) < now.timestamp():
        return None
    stored = store.token(partner)
    if stored is None:
        return None
    expected = _mac(stored[1], partner, int(expiry_text))
    return partner if hmac.compare_digest(expected, mac) else None
