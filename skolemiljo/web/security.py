"""The gate in front of every page: sessions, the one-time login, CSRF, Host, proxy identity, headers.

These are confidential records about children, so ``skm serve`` trusts nothing by default:

* **Login** (on this computer): ``skm serve`` prints a URL with a one-time token. Opening it
  turns the token into a session cookie (``HttpOnly``, ``SameSite=Strict``); the token is then
  spent. Every other request without a live session is refused (403).
* **Behind an authenticating reverse proxy** (a shared server): the proxy (for example
  oauth2-proxy with Feide or Entra ID) logs the user in and sets a header with their e-mail
  address (and one with their name). The header is believed only on a connection from the
  proxy's own address; that person is the author of every commit made in the request.
* **CSRF**: every form carries the session's token; a POST without it, or with another, is 403.
* **Host**: the ``Host`` header must name the address skm listens on (or a name given with
  ``--tillat-vert``), so a web page elsewhere cannot reach skm through DNS rebinding.
* **Headers**: a Content-Security-Policy without inline script and without any resource from
  elsewhere, no caching of pages, no referrer, no framing.

Nothing here imports Flask: the rules are plain functions, tested on their own.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
import secrets
import threading
import time
from dataclasses import dataclass, field

from skolemiljo.domain.author import Author

SESSION_COOKIE = "skm_sesjon"
SESSION_LIFETIME = 12 * 3600  # seconds: a working day; then the user logs in again
CSRF_FIELD = "csrf"

# Pages: only skm's own stylesheet (and script, if any); no inline script, nothing from elsewhere.
PAGE_CSP = ("default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
# A case document shown in the browser (HTML from the document templates): its own inline
# stylesheet, no script at all (sandbox), nothing from elsewhere.
DOCUMENT_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; "
                "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",  # the Origin of a POST is then exact (never "null")
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def new_secret() -> str:
    """An unguessable token (256 bits)."""
    return secrets.token_urlsafe(32)


def same_secret(given: str | None, expected: str) -> bool:
    """Compare in constant time; a missing value never matches."""
    return isinstance(given, str) and bool(given) and hmac.compare_digest(given.encode(), expected.encode())


# ---------------------------------------------------------------- sessions


@dataclass
class Session:
    """One logged-in browser: its CSRF token, who acts in it, and notices for the next page."""

    id: str
    csrf: str
    author: Author
    expires: float
    notices: list[dict[str, object]] = field(default_factory=list)


class Sessions:
    """The live sessions of one ``skm serve`` (in memory: they end when skm serve stops)."""

    def __init__(self, lifetime: float = SESSION_LIFETIME, clock=time.monotonic) -> None:
        self.lifetime = lifetime
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}
        self._login: str | None = None

    def login_token(self) -> str:
        """A new one-time login token (any earlier unused one stops working)."""
        with self._lock:
            self._login = new_secret()
            return self._login

    def redeem(self, token: str | None, author: Author) -> Session | None:
        """Spend the login token for a new session; None when it is wrong or already used."""
        with self._lock:
            if self._login is None or not same_secret(token, self._login):
                return None
            self._login = None
        return self.open(author)

    def open(self, author: Author) -> Session:
        session = Session(new_secret(), new_secret(), author, self._clock() + self.lifetime)
        with self._lock:
            self._drop_expired()
            self._sessions[session.id] = session
        return session

    def get(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        with self._lock:
            found = self._sessions.get(session_id)
            if found is None or not same_secret(session_id, found.id):
                return None
            if found.expires <= self._clock():
                del self._sessions[session_id]
                return None
            return found

    def _drop_expired(self) -> None:
        now = self._clock()
        for key in [key for key, s in self._sessions.items() if s.expires <= now]:
            del self._sessions[key]


# ---------------------------------------------------------------- addresses


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and ``localhost``: only this computer can connect."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_values(host: str, port: int, extra: tuple[str, ...] = ()) -> frozenset[str]:
    """Every ``Host`` header that names the address skm listens on (lower case)."""
    names = {host.strip("[]").lower()}
    if is_loopback(host):
        names.add("localhost")
    names.update(name.lower() for name in extra)
    out = set()
    for name in names:
        shown = f"[{name}]" if ":" in name else name
        out.add(f"{shown}:{port}")
        if port == 80:
            out.add(shown)
    # A name given with its port (behind a proxy on 443) is taken as it is.
    out.update(name.lower() for name in extra if ":" in name and not name.startswith("["))
    return frozenset(out)


def host_allowed(header: str | None, allowed: frozenset[str]) -> bool:
    return isinstance(header, str) and header.strip().lower() in allowed


def origin_allowed(origin: str | None, host: str) -> bool:
    """A POST from a page of another site is refused even before its CSRF token is looked at."""
    if origin is None:
        return True  # old browsers and the test client send none; the CSRF token decides
    return origin.lower() in (f"http://{host.lower()}", f"https://{host.lower()}")


# ---------------------------------------------------------------- the trusted proxy

def header_text(value: str | None) -> str:
    """A header as the proxy sent it: WSGI hands over its bytes as Latin-1; proxies send UTF-8."""
    if not value:
        return ""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


_EMAIL = re.compile(r"[^\s<>@]+@[^\s<>@]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f<>]")


@dataclass(frozen=True)
class ProxyAuth:
    """Who is logged in, as an authenticating reverse proxy says, and where the proxy is."""

    addresses: frozenset[str]
    email_header: str = "X-Forwarded-Email"
    name_header: str | None = "X-Forwarded-Preferred-Username"

    def from_proxy(self, remote_addr: str | None) -> bool:
        if not remote_addr:
            return False
        try:
            remote = ipaddress.ip_address(remote_addr)
        except ValueError:
            return False
        for address in self.addresses:
            try:
                if remote == ipaddress.ip_address(address):
                    return True
            except ValueError:
                continue
        return False

    def identity(self, remote_addr: str | None, headers) -> Author | None:
        """The logged-in person, or None: not from the proxy, no header, or a header that is no identity."""
        if not self.from_proxy(remote_addr):
            return None
        email = header_text(headers.get(self.email_header)).strip()
        if not _EMAIL.fullmatch(email):
            return None
        name = header_text(headers.get(self.name_header)).strip() if self.name_header else ""
        if not name or _CONTROL.search(name) or "@" in name:
            name = email.split("@", 1)[0]
        if _CONTROL.search(name) or not name.strip():
            return None
        return Author(name, email)
