"""A polite, safe HTTP fetcher: the only way wirewatch reads the web.

Safe: only http and https; every address a host name resolves to is checked before any
connection, and the connection goes to the checked address (no second lookup that a
rebinding DNS server could answer differently); redirects are followed one hop at a time,
each hop checked again. Loopback, private, link-local (cloud metadata at 169.254.169.254),
multicast, reserved and unspecified addresses are refused unless ``allow_private``.
Environment proxies are ignored so the connection really goes where it was checked.

Polite: robots.txt (RFC 9309, cached per host), a User-Agent that names us, a delay
between requests to one host and a cap on parallel requests per host, retries with
exponential backoff only on 5xx and timeouts, conditional requests (ETag,
Last-Modified), timeouts and a body-size limit.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from wirewatch.ingest.decode import DEFAULT_MAX_BYTES, BadInput, Decoded, decode_bytes

DEFAULT_USER_AGENT = "wirewatch/0.2 (+https://github.com/wirewatch/wirewatch; news analysis)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 30.0  # seconds; a server that asks for a longer pause is left for next run
# WHATWG: pages labelled Latin-1 or ASCII are decoded as windows-1252 by every browser.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252",
                    "us-ascii": "cp1252", "ascii": "cp1252", "iso8859-1": "cp1252"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


class FetchError(Exception):
    """A URL that could not be fetched; ``reason`` is short and stable (stored as is)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class Refused(FetchError):
    """Refused before any connection: a scheme or an address we do not fetch."""


@dataclass
class FetchPolicy:
    user_agent: str = DEFAULT_USER_AGENT
    timeout: float = 10.0  # seconds, for connecting and between two reads
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = 5
    retries: int = 2  # extra attempts after a 5xx or a timeout
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    host_delay: float = 1.0  # seconds between two requests to one host
    host_concurrency: int = 2  # parallel requests to one host
    allow_private: bool = False
    obey_robots: bool = True


@dataclass
class Fetched:
    url: str  # as asked for
    final_url: str  # after redirects
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    retry_after: float | None = None  # seconds, from a 429 or 503's Retry-After
    fetched_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(
        timespec="seconds"))

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def address_problem(ip: str) -> str | None:
    """Why connecting to this address is unsafe (None when it is a public address)."""
    addr = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    for label, test in (("loopback", addr.is_loopback), ("link-local", addr.is_link_local),
                        ("multicast", addr.is_multicast), ("unspecified", addr.is_unspecified),
                        ("private", addr.is_private), ("reserved", addr.is_reserved),
                        ("non-public", not addr.is_global)):
        if test:
            return f"{label} address {addr}"
    return None


def check_url(url: str) -> tuple[str, int]:
    """(host, port) of an http(s) URL; anything else is refused."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise Refused("refused: scheme", f"only http and https are fetched, not {url!r}")
    if not parts.hostname:
        raise Refused("refused: no host", url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise Refused("refused: bad port", url) from None
    return parts.hostname, port


def resolve_checked(host: str, port: int, allow_private: bool) -> list[str]:
    """Every address ``host`` resolves to, each checked; one unsafe address refuses all
    (a name that answers both a public and a private address is not to be trusted)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError("DNS failure", f"{host}: {exc}") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise FetchError("DNS failure", f"{host}: no address")
    if not allow_private:
        for ip in addresses:
            problem = address_problem(ip)
            if problem:
                raise Refused("refused: private address",
                              f"{host} resolves to a {problem}; use --allow-private to allow")
    return addresses


class _CheckedBackend(httpcore.SyncBackend):
    """Connects only to addresses it has resolved and checked itself (every hop, every
    connection: redirects and DNS rebinding cannot reach a private address)."""

    def __init__(self, allow_private: bool):
        self.allow_private = allow_private

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        last: Exception | None = None
        for ip in resolve_checked(host, port, self.allow_private):
            try:
                return super().connect_tcp(ip, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last


class _CheckedTransport(httpx.HTTPTransport):
    def __init__(self, allow_private: bool, **kwargs: Any):
        super().__init__(trust_env=False, **kwargs)
        # httpx builds its pool without a way to pass a network backend; rebuild it with ours.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), max_connections=100,
            max_keepalive_connections=20, keepalive_expiry=5.0,
            network_backend=_CheckedBackend(allow_private))


class _Host:
    def __init__(self, concurrency: int):
        self.slots = threading.Semaphore(max(1, concurrency))
        self.lock = threading.Lock()
        self.next_start = 0.0


class Fetcher:
    """One fetcher per run: its robots.txt cache and per-host limits are shared by all the
    threads that use it."""

    def __init__(self, policy: FetchPolicy | None = None):
        self.policy = policy or FetchPolicy()
        self.client = httpx.Client(
            transport=_CheckedTransport(self.policy.allow_private), follow_redirects=False,
            timeout=httpx.Timeout(self.policy.timeout), trust_env=False,
            headers={"User-Agent": self.policy.user_agent, "Accept-Encoding": "gzip, deflate"})
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the public call -------------------------------------------------------------

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None,
              robots: bool = True) -> Fetched:
        """GET ``url`` (following checked redirects); a 304 comes back as ``not_modified``.
        Raises FetchError (Refused for what was never connected to)."""
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            host, port = check_url(current)
            # Checked here for a clear early answer; the connection checks again (and is
            # the check that counts: it connects to the very address it checked).
            resolve_checked(host, port, self.policy.allow_private)
            if robots and self.policy.obey_robots and not self.allowed(current):
                raise FetchError("disallowed by robots.txt",
                                 f"{urlsplit(current).netloc}/robots.txt disallows "
                                 f"{urlsplit(current).path or '/'} for our User-Agent")
            got = self._with_retries(current, etag, last_modified)
            if isinstance(got, str):  # a redirect: the next hop is checked like the first
                current = got
                continue
            got.url = url
            return got
        raise FetchError("too many redirects",
                         f"more than {self.policy.max_redirects} redirects from {url}")

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc.lower()}"
        with self._lock:
            parser = self._robots.get(key)
        if parser is None:
            parser = self._load_robots(key)
            with self._lock:
                self._robots[key] = parser
        return parser.can_fetch(self.policy.user_agent, url)

    # -- inside ----------------------------------------------------------------------

    def _load_robots(self, base: str) -> urllib.robotparser.RobotFileParser:
        """RFC 9309: a 4xx robots.txt allows everything; a 5xx or no answer forbids
        everything for now (the host may be struggling)."""
        parser = urllib.robotparser.RobotFileParser(base + "/robots.txt")
        try:
            got = self.fetch(base + "/robots.txt", robots=False)
        except Refused:
            raise
        except FetchError:
            parser.disallow_all = True
            return parser
        if got.status >= 500:
            parser.disallow_all = True
        elif got.status >= 400:
            parser.allow_all = True
        else:
            parser.parse(got.body.decode("utf-8", "replace").splitlines())
        return parser

    def _host(self, url: str) -> _Host:
        netloc = urlsplit(url).netloc.lower()
        with self._lock:
            if netloc not in self._hosts:
                self._hosts[netloc] = _Host(self.policy.host_concurrency)
            return self._hosts[netloc]

    def _with_retries(self, url: str, etag: str | None,
                      last_modified: str | None) -> Fetched | str:
        attempt = 0
        while True:
            try:
                got = self._once(url, etag, last_modified)
            except httpx.TimeoutException as exc:
                if attempt >= self.policy.retries:
                    raise FetchError("timeout", f"{url}: {type(exc).__name__} after "
                                     f"{attempt + 1} attempt(s)") from None
            else:
                if isinstance(got, str) or got.status not in RETRY_STATUSES:
                    return got
                asked = got.retry_after or 0.0
                if attempt >= self.policy.retries or asked > MAX_RETRY_AFTER:
                    raise FetchError(f"HTTP {got.status}", f"{url} after {attempt + 1} "
                                     "attempt(s)" + (f"; the server asks for {asked:.0f}s"
                                                     if asked else ""))
                # The server's own pause, when it names one, else exponential backoff.
                time.sleep(max(asked, self.policy.backoff * 2 ** attempt))
                attempt += 1
                continue
            time.sleep(self.policy.backoff * 2 ** attempt)
            attempt += 1

    def _once(self, url: str, etag: str | None, last_modified: str | None) -> Fetched | str:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        host = self._host(url)
        with host.slots:
            with host.lock:  # space out the starts of requests to one host
                wait = host.next_start - time.monotonic()
                host.next_start = max(time.monotonic(), host.next_start) + self.policy.host_delay
            if wait > 0:
                time.sleep(wait)
            try:
                with self.client.stream("GET", url, headers=headers) as resp:
                    if resp.is_redirect and resp.headers.get("location"):
                        return urljoin(url, resp.headers["location"])
                    body = b"" if resp.status_code == 304 else self._read(resp, url)
            except httpx.TimeoutException:
                raise
            except httpx.HTTPError as exc:
                raise FetchError("connection failed", f"{url}: {exc}") from None
        return Fetched(url=url, final_url=url, status=resp.status_code, body=body,
                       content_type=resp.headers.get("content-type", ""),
                       etag=resp.headers.get("etag"),
                       last_modified=resp.headers.get("last-modified"),
                       retry_after=_seconds(resp.headers.get("retry-after")))

    def _read(self, resp: httpx.Response, url: str) -> bytes:
        limit = self.policy.max_bytes
        declared = resp.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError("page too large", f"{url}: {declared} bytes > limit {limit}")
        deadline = time.monotonic() + self.policy.timeout * 3  # a page that dribbles forever
        chunks, size = [], 0
        for chunk in resp.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise FetchError("page too large", f"{url}: more than {limit} bytes")
            if time.monotonic() > deadline:
                raise FetchError("timeout", f"{url}: body not read in {self.policy.timeout * 3}s")
            chunks.append(chunk)
        return b"".join(chunks)


def _seconds(value: str | None) -> float | None:
    """Retry-After as seconds (a delay or an HTTP date)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    from email.utils import parsedate_to_datetime

    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


def declared_charset(content_type: str, body: bytes) -> str | None:
    """The charset the server (Content-Type) or the page (<meta>) declares, if Python
    knows it."""
    import codecs

    found = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type or "", re.I)
    name = found.group(1) if found else None
    if name is None:
        meta = _META_CHARSET.search(body[:4096])
        name = meta.group(1).decode("ascii", "ignore") if meta else None
    if not name:
        return None
    name = _CHARSET_ALIASES.get(name.lower(), name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_page(body: bytes, content_type: str = "",
                max_bytes: int = DEFAULT_MAX_BYTES) -> Decoded:
    """As for files (empty, binary and size checks; UTF-8 first), but a page that is not
    UTF-8 is read in the charset it declares rather than guessed as cp1252."""
    declared = declared_charset(content_type, body)
    try:
        decoded = decode_bytes(body, max_bytes)
    except BadInput as exc:
        if exc.reason != "undecodable bytes" or not declared:
            raise
        decoded = None
    if decoded is not None and (decoded.encoding == "utf-8" or not declared
                                or declared in ("utf-8", "cp1252")):
        return decoded
    try:
        return Decoded(body.decode(declared), declared)  # type: ignore[arg-type]
    except (UnicodeDecodeError, LookupError):
        if decoded is not None:
            return decoded
        raise BadInput("undecodable bytes", f"not UTF-8 and not {declared}") from None
