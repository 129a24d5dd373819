"""The media downloader talks only to allowed origins and gives the token to the backend alone.

Real HTTP servers on loopback stand for the backend's HTTP side, a configured media
origin and places nobody should reach; each records the requests it receives.
"""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from demo_backend.png import Canvas
from feedkit import TicksPlugin
from ioc_desktop.media import MAX_REDIRECTS, MediaFetcher, http_base
from ioc_desktop.plugin_api import topic_map
from ioc_desktop.store.writer import StoreWriter

PNG = Canvas(4, 4, (10, 20, 30)).png()
TOKEN = "secret-token"


class Recorder:
    """A loopback HTTP server answering from ``routes`` and recording every request."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.seen: list[tuple[str, dict[str, str]]] = []     # (path, lower-cased headers)
        self.routes: dict[str, tuple[int, dict[str, str], bytes | None]] = {}   # None: endless
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                recorder.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                status, headers, body = recorder.routes.get(self.path, (404, {}, b""))
                self.send_response(status)
                if body is not None:
                    headers = {"Content-Length": str(len(body)), **headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    while body is None:
                        self.wfile.write(b"x" * 65536)
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.host, self.port = host, self.server.server_address[1]
        self.origin = f"http://{host}:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return self.origin + path

    def image(self, path: str, **headers: str) -> None:
        self.routes[path] = (200, {"Content-Type": "image/png", **headers}, PNG)

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.routes[path] = (status, {"Location": location}, b"")

    def tokens(self) -> list[str | None]:
        return [headers.get("authorization") for _, headers in self.seen]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def servers():
    made = []

    def make(host="127.0.0.1", port=0):
        made.append(Recorder(host, port))
        return made[-1]

    yield make
    for server in made:
        server.close()


@pytest.fixture
def writer(tmp_path):
    writer = StoreWriter(tmp_path / "c.sqlite", topic_map([TicksPlugin()]).values())
    yield writer
    writer.close()


@pytest.fixture
def fetchers():
    made = []

    def make(backend: Recorder | None, writer=None, **kwargs):
        feed = f"ws://{backend.host}:{backend.port}/feed" if backend else None
        made.append(MediaFetcher(feed, writer, token=kwargs.pop("token", TOKEN), **kwargs))
        return made[-1]

    yield make
    for fetcher in made:
        fetcher.close()
        fetcher.join(5)


def fetch(fetcher, url, timeout=10):
    box, done = [], threading.Event()
    fetcher.fetch(url, lambda r: (box.append(r), done.set()))
    assert done.wait(timeout)
    return box[0]


def test_other_ports_and_hosts_of_the_backend_are_refused_before_any_request(servers, fetchers):
    backend, other_port = servers(), servers()
    other_host = servers("127.0.0.2", backend.port)     # same port, another host
    for server in (backend, other_port, other_host):
        server.image("/a.png")
    fetcher = fetchers(backend)
    port = backend.port
    for url, origin in [(other_port.url("/a.png"), other_port.origin),
                        (other_host.url("/a.png"), other_host.origin),
                        (f"//127.0.0.1:{other_port.port}/a.png", other_port.origin),
                        (f"http://localhost:{port}/a.png", f"http://localhost:{port}"),
                        (f"https://127.0.0.1:{port}/a.png", f"https://127.0.0.1:{port}")]:
        result = fetch(fetcher, url)
        assert result.data is None
        assert result.error == f"origin {origin} is not the backend's nor a configured media origin"
    assert backend.seen == other_port.seen == other_host.seen == []


def test_the_backend_origin_is_fetched_with_the_token(servers, fetchers):
    backend = servers()
    backend.image("/a.png")
    fetcher = fetchers(backend)
    for url in ["/a.png", backend.url("/a.png"), f"HTTP://127.0.0.1:{backend.port}/a.png#frag"]:
        result = fetch(fetcher, url)
        assert result.error is None and result.data == PNG and result.url == url
    assert backend.tokens() == [f"Bearer {TOKEN}"] * 3


def test_origins_are_compared_with_default_ports_case_and_ipv6_normalised():
    web = MediaFetcher("wss://Media.Example.ORG/feed", None)
    v6 = MediaFetcher("ws://[::1]:8080/feed", None, media_origins=("http://[0:0::2]",))
    try:
        assert http_base("ws://user:pw@127.0.0.1:8080/feed") == "http://127.0.0.1:8080/"
        assert web.base == "https://media.example.org/"
        assert (web.resolve("https://MEDIA.example.org:443/x.png?s=1")
                == "https://media.example.org/x.png?s=1")
        for refused in ["http://media.example.org/x.png", "https://media.example.org:8443/x.png",
                        "https://media.example.org.evil.net/x.png"]:
            with pytest.raises(ValueError, match="not the backend's"):
                web.resolve(refused)
        assert v6.resolve("/x.png") == "http://[::1]:8080/x.png"
        assert v6.resolve("http://[0:0:0:0:0:0:0:1]:8080/x.png") == "http://[::1]:8080/x.png"
        assert v6.resolve("http://[::2]:80/x.png") == "http://[::2]/x.png"
        with pytest.raises(ValueError, match=r"origin http://\[::1\] is not"):
            v6.resolve("http://[::1]/x.png")
    finally:
        web.close()
        v6.close()


def test_a_configured_media_origin_is_fetched_without_token_or_backend_cookies(servers, fetchers):
    backend, media = servers(), servers()
    backend.image("/a.png", **{"Set-Cookie": "session=backend-secret; Path=/"})
    media.image("/m.png")
    fetcher = fetchers(backend, media_origins=(media.origin,))
    assert fetch(fetcher, "/a.png").error is None
    result = fetch(fetcher, media.url("/m.png"))
    assert result.error is None and result.data == PNG
    assert backend.tokens() == [f"Bearer {TOKEN}"]
    assert [path for path, _ in media.seen] == ["/m.png"]
    assert "authorization" not in media.seen[0][1] and "cookie" not in media.seen[0][1]


def test_environment_proxies_and_netrc_never_see_the_request(servers, fetchers, tmp_path,
                                                              monkeypatch):
    backend, media, proxy = servers(), servers(), servers()
    backend.image("/a.png")
    media.image("/m.png")
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password netrc-secret\n")
    netrc.chmod(0o600)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy.origin)
    monkeypatch.setenv("http_proxy", proxy.origin)
    monkeypatch.setenv("NETRC", str(netrc))
    fetcher = fetchers(backend, media_origins=(media.origin,))
    assert fetch(fetcher, "/a.png").error is None
    assert fetch(fetcher, media.url("/m.png")).error is None
    assert proxy.seen == []
    assert backend.tokens() == [f"Bearer {TOKEN}"] and media.tokens() == [None]


def test_redirects_off_the_allowed_origins_are_not_followed_and_fall_back_to_the_cache(
        servers, fetchers, writer):
    backend, other_port = servers(), servers()
    other_host = servers("127.0.0.2")
    other_port.image("/x.png")
    other_host.image("/x.png")
    backend.image("/cam.png")
    fetcher = fetchers(backend, writer)
    live = fetch(fetcher, "/cam.png")
    assert live.error is None and not live.from_cache

    backend.redirect("/cam.png", other_port.url("/x.png"))
    backend.redirect("/host.png", other_host.url("/x.png"), status=307)
    backend.redirect("/bad.png", "http://[::1")
    backend.redirect("/creds.png", f"http://user:pw@127.0.0.1:{backend.port}/cam.png")
    cached = fetch(fetcher, "/cam.png")
    assert cached.from_cache and cached.data == live.data and cached.fetched_at == live.fetched_at
    assert cached.error == (f"redirect refused: origin {other_port.origin} "
                            "is not the backend's nor a configured media origin")
    assert fetch(fetcher, "/host.png").error.startswith(
        f"redirect refused: origin {other_host.origin} ")
    assert fetch(fetcher, "/bad.png").error == "redirect refused: malformed URL"
    assert fetch(fetcher, "/creds.png").error == (
        f"redirect refused: user name or password in URL for {backend.origin} refused")
    assert other_port.seen == other_host.seen == []
    assert [path for path, _ in backend.seen] == ["/cam.png", "/cam.png", "/host.png", "/bad.png",
                                                 "/creds.png"]


def test_redirects_within_the_backend_origin_are_followed_with_the_token(servers, fetchers):
    backend = servers()
    backend.redirect("/old.png", "/dir/new.png", status=301)
    backend.redirect("/dir/new.png", "final.png", status=308)       # relative to /dir/
    backend.image("/dir/final.png")
    result = fetch(fetchers(backend), "/old.png")
    assert result.error is None and result.data == PNG
    assert [path for path, _ in backend.seen] == ["/old.png", "/dir/new.png", "/dir/final.png"]
    assert backend.tokens() == [f"Bearer {TOKEN}"] * 3


def test_at_most_five_redirects_are_followed(servers, fetchers):
    backend = servers()
    for hop in range(MAX_REDIRECTS + 1):
        backend.redirect(f"/hop{hop}", f"/hop{hop + 1}")
    backend.image(f"/hop{MAX_REDIRECTS + 1}")
    fetcher = fetchers(backend)
    assert fetch(fetcher, "/hop1").data == PNG                     # exactly five redirects
    backend.seen.clear()
    result = fetch(fetcher, "/hop0")                               # six
    assert result.data is None and result.error == "more than 5 redirects"
    assert [path for path, _ in backend.seen] == [f"/hop{hop}" for hop in range(MAX_REDIRECTS + 1)]


def test_a_redirect_body_is_never_read(servers, fetchers):
    """A hop is closed after its headers, so an endless redirect body cannot hold the worker."""
    backend = servers()
    backend.routes["/endless"] = (302, {"Location": "/a.png"}, None)
    backend.image("/a.png")
    assert fetch(fetchers(backend), "/endless").data == PNG


def test_the_token_goes_only_on_hops_to_the_backend_origin(servers, fetchers):
    """Rule: each hop gets the token only when it goes to the backend's origin, whoever
    sent the redirect; a media origin can thus bounce the client to the backend, which
    is a place the client would fetch from anyway."""
    backend, media = servers(), servers()
    media.redirect("/to-backend.png", backend.url("/b.png"))
    backend.image("/b.png")
    backend.redirect("/to-media.png", media.url("/m.png"))
    media.image("/m.png")
    fetcher = fetchers(backend, media_origins=(media.origin,))
    assert fetch(fetcher, media.url("/to-backend.png")).data == PNG
    assert fetch(fetcher, "/to-media.png").data == PNG
    assert backend.seen[0][0] == "/b.png" and backend.seen[1][0] == "/to-media.png"
    assert backend.tokens() == [f"Bearer {TOKEN}"] * 2
    assert [path for path, _ in media.seen] == ["/to-backend.png", "/m.png"]
    assert media.tokens() == [None, None]


def test_set_token_takes_effect_on_the_next_request(servers, fetchers):
    backend = servers()
    backend.image("/a.png")
    fetcher = fetchers(backend, token="old")
    fetch(fetcher, "/a.png")
    fetcher.set_token("new")
    fetch(fetcher, "/a.png")
    assert backend.tokens() == ["Bearer old", "Bearer new"]


def test_hostile_urls_give_a_clear_error_and_leave_the_worker_alive(servers, fetchers):
    backend = servers()
    backend.image("/a.png")
    fetcher = fetchers(backend)
    port = backend.port
    hostile = {
        "http://[::1": "malformed URL",
        "http://[evil.example]/a.png": "malformed URL",
        "http://127.0.0.1:99999/a.png": "invalid port in URL",
        f"http://127.0.0.1:{port}x/a.png": "invalid port in URL",
        "http://127.0.0.1:0/a.png": "invalid port in URL",
        f"http://127.0.0.1:+{port}/a.png": "invalid port in URL",
        f"http://user:pw@127.0.0.1:{port}/a.png":
            f"user name or password in URL for http://127.0.0.1:{port} refused",
        f"http://@127.0.0.1:{port}/a.png":
            f"user name or password in URL for http://127.0.0.1:{port} refused",
        f"http://evil.example\\@127.0.0.1:{port}/a.png":
            f"user name or password in URL for http://127.0.0.1:{port} refused",
        "javascript:alert(1)": "URL scheme 'javascript' not allowed",
        "file:///etc/passwd": "URL scheme 'file' not allowed",
        "http://:80/a.png": "URL has no host",
        f"http://１２７.０.０.１:{port}/a.png": "URL host must be ASCII (punycode)",
        "/a.png\r\nX-Injected: 1": "URL contains control characters",
        f"http://127.0.0.1\t:{port}/a.png": "URL contains control characters",
        "/a\x00.png": "URL contains control characters",
        "/a\x85.png": "URL contains control characters",
        "": "no usable media URL",
        "/" + "a" * 3000: "no usable media URL",
        None: "no usable media URL",
        42: "no usable media URL",
        b"/a.png": "no usable media URL",
    }
    for url, reason in hostile.items():
        with pytest.raises(ValueError) as raised:
            fetcher.resolve(url)
        assert str(raised.value) == reason, url
        result = fetch(fetcher, url)
        assert result.error == reason and result.data is None and result.url == url
    assert fetcher.worker.is_alive()
    assert backend.seen == []
    assert fetch(fetcher, "/a.png").data == PNG


@pytest.mark.parametrize("origins, reason", [
    (("ftp://media.example",),
     "bad media origin 'ftp://media.example': URL scheme 'ftp' not allowed"),
    (("media.example",), "bad media origin 'media.example': URL scheme '' not allowed"),
    (("http://media.example:99999",),
     "bad media origin 'http://media.example:99999': invalid port in URL"),
    (("http://u:p@media.example",),
     "bad media origin 'http://u:p@media.example': "
     "user name or password in URL for http://media.example refused"),
    (("http://media.example/img",), "bad media origin 'http://media.example/img': "
                                    "only http(s)://host[:port] is allowed"),
    (("http://media.example?x=1",), "bad media origin 'http://media.example?x=1': "
                                    "only http(s)://host[:port] is allowed"),
    ((42,), "media origin 42 is not a string"),
    ("http://media.example", "media_origins must be a tuple of origins, not one string"),
])
def test_bad_media_origins_are_refused_at_construction(origins, reason):
    with pytest.raises(ValueError) as raised:
        MediaFetcher("ws://127.0.0.1:9/feed", None, media_origins=origins)
    assert str(raised.value) == reason


def test_good_media_origins_are_accepted_in_their_usual_spellings(fetchers):
    fetcher = fetchers(None, media_origins=("https://CDN.example.org/", "http://[::1]:8081",
                                            "http://cdn.example.org:80"))
    assert fetcher.resolve("https://cdn.example.org:443/p.jpg") == "https://cdn.example.org/p.jpg"
    assert fetcher.resolve("http://cdn.example.org/p.jpg") == "http://cdn.example.org/p.jpg"
    assert fetcher.resolve("http://[::1]:8081/p.jpg") == "http://[::1]:8081/p.jpg"
    with pytest.raises(ValueError, match="scheme '' not allowed"):
        fetcher.resolve("/p.jpg")                                  # offline: no backend base
