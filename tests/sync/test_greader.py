"""The Google Reader backend against a server of our own: logging in (and the kept token),
the subscriptions with their categories, subscribing and unsubscribing."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from werkzeug import Response

from biotui.sync.backend import SyncAuthError, SyncError
from biotui.sync.greader import GReaderBackend

from .greader_fixtures import PASSWORD, Asked, make_backend, make_server
from .greader_server import GReaderServer

__all__ = ["make_backend", "make_server"]

MakeServer = Callable[..., GReaderServer]
MakeBackend = Callable[..., GReaderBackend]


def test_a_login_lists_the_subscriptions_with_their_categories_as_tags(
    make_server: MakeServer, make_backend: MakeBackend
) -> None:
    server = make_server(user_prefix="user/1")
    server.add_feed("https://news.example/biotech.xml", "Biotech News", ["Biotech", "Daily"])
    server.add_feed("https://trials.example/feed", "Trials", [])
    asked = Asked()
    backend = make_backend(server, asked)
    backend.login()
    feeds = {feed.title: feed for feed in backend.feeds()}
    assert feeds["Biotech News"].tags == ("Biotech", "Daily")
    assert feeds["Biotech News"].url == "https://news.example/biotech.xml"
    assert feeds["Biotech News"].id == "feed/1"
    assert feeds["Trials"].tags == ()
    assert asked.count == 1 and server.logins == 1
    assert backend.can_subscribe


def test_a_wrong_password_is_one_line_without_the_password(
    make_server: MakeServer, make_backend: MakeBackend
) -> None:
    server = make_server()
    backend = make_backend(server, Asked("wrong-password-77"))
    with pytest.raises(SyncAuthError) as caught:
        backend.feeds()
    message = str(caught.value)
    assert message.startswith(f"{server.url}: the server refused the login of 'reader'")
    assert "wrong-password-77" not in message and "\n" not in message


def test_inoreader_needs_its_app_id_and_key_with_every_request(
    make_server: MakeServer, make_backend: MakeBackend
) -> None:
    server = make_server(app=("1000001", "appkey-secret"))
    server.add_feed("https://a.example/feed", "A", ["Tag"])
    with pytest.raises(SyncAuthError, match="check \\[sync\\] username"):
        make_backend(server).login()
    backend = make_backend(server, app_id="1000001", app_key="appkey-secret")
    assert [feed.title for feed in backend.feeds()] == ["A"]


def test_a_kept_token_spares_the_password_and_is_its_owners_only(
    make_server: MakeServer, make_backend: MakeBackend, tmp_path: Path
) -> None:
    server = make_server()
    server.add_feed("https://a.example/feed", "A")
    token_file = tmp_path / "data" / "sync-token"
    first = make_backend(server, token_file=token_file)
    first.feeds()
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert PASSWORD not in token_file.read_text()
    asked = Asked()
    second = make_backend(server, asked, token_file=token_file)
    assert [feed.title for feed in second.feeds()] == ["A"]
    assert asked.count == 0 and server.logins == 1


def test_a_revoked_token_logs_in_once_more(
    make_server: MakeServer, make_backend: MakeBackend, tmp_path: Path
) -> None:
    server = make_server()
    server.add_feed("https://a.example/feed", "A")
    token_file = tmp_path / "sync-token"
    make_backend(server, token_file=token_file).feeds()
    server.revoke_auth()
    asked = Asked()
    backend = make_backend(server, asked, token_file=token_file)
    assert [feed.title for feed in backend.feeds()] == ["A"]
    assert asked.count == 1 and server.logins == 2
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    server.revoke_auth()
    server.password = "changed-on-the-server"
    with pytest.raises(SyncAuthError):
        backend.feeds()
    assert asked.count == 2


def test_subscribe_and_unsubscribe_on_the_server(
    make_server: MakeServer, make_backend: MakeBackend
) -> None:
    server = make_server()
    backend = make_backend(server)
    feed = backend.subscribe("https://new.example/rss", "New Feed", ["Pharma", "Other"])
    assert (feed.title, feed.url, feed.tags) == ("New Feed", "https://new.example/rss", ("Pharma",))
    assert [f.url for f in server.feeds.values()] == ["https://new.example/rss"]
    backend.unsubscribe(feed.id)
    assert server.feeds == {} and backend.feeds() == []


def test_a_stale_action_token_is_fetched_again_once(
    make_server: MakeServer, make_backend: MakeBackend
) -> None:
    server = make_server()
    backend = make_backend(server)
    backend.subscribe("https://one.example/rss", "One", [])
    server.expire_action_token()
    backend.subscribe("https://two.example/rss", "Two", [])
    assert sorted(f.title for f in server.feeds.values()) == ["One", "Two"]
    tokens = [path for _, path, _ in server.requests if path.endswith("/token")]
    assert len(tokens) == 2 and server.logins == 1


def test_a_url_that_is_not_the_api_root_says_what_to_set(
    make_server: MakeServer, tmp_path: Path
) -> None:
    server = make_server()
    backend = GReaderBackend(server.url + "/api", "reader", Asked())
    with pytest.raises(SyncError) as caught:
        backend.login()
    backend.close()
    assert str(caught.value) == (
        f"{server.url}/api: HTTP 404 at accounts/ClientLogin; is [sync] url the API root "
        "(FreshRSS: https://host/api/greader.php, Miniflux: https://host)?"
    )


def test_a_subscription_the_server_does_not_list_afterwards_is_an_error(
    make_server: MakeServer, make_backend: MakeBackend
) -> None:
    server = make_server()
    backend = make_backend(server)
    server.answer("subscription/list", lambda request: Response('{"subscriptions": []}'))
    with pytest.raises(
        SyncError,
        match=r": subscribed to https://x.example/rss, but the server lists no such feed$",
    ):
        backend.subscribe("https://x.example/rss", "", [])


@pytest.mark.parametrize("quirks", [{}, {"miniflux": True}], ids=["freshrss", "miniflux"])
def test_a_write_after_the_session_was_revoked_logs_in_once_more(
    make_server: MakeServer, make_backend: MakeBackend, quirks: dict[str, bool]
) -> None:
    server = make_server(**quirks)
    feed = server.add_feed("https://a.example/feed", "A")
    item = server.add_item(feed, "Headline", crawled=1_750_000_000)
    asked = Asked()
    backend = make_backend(server, asked)
    backend.mark([item], read=None, starred=True)
    server.revoke_auth()
    backend.mark([item], read=True, starred=None)
    assert server.unread_ids() == set() and server.starred_ids() == {item}
    assert asked.count == 2 and server.logins == 2
