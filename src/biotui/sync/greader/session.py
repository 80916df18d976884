"""A Google Reader session: ClientLogin, the ``Auth`` token (kept in a file of its owner's
only, when asked), the action token ``T`` that every write carries, and Inoreader's
``AppId``/``AppKey`` headers.

A request refused with a kept token logs in again once (the token was revoked); a write
refused fetches ``T`` again once (it went stale). The password is asked for only when a login
is needed, and neither it nor a token is ever part of an error.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from biotui.sync.backend import SyncAuthError, SyncError
from biotui.sync.transport import Answer, Params, Transport

__all__ = ["Session"]

API = "reader/api/0/"


class Session:
    """Authenticated requests to one Google Reader server at ``root`` (the API root the user
    configured, without a trailing slash)."""

    def __init__(
        self,
        root: str,
        server: str,
        username: str,
        password: Callable[[], str],
        *,
        app_id: str = "",
        app_key: str = "",
        token_file: Path | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.root = root
        self.server = server
        self.transport = Transport(server, timeout=timeout)
        self._username = username
        self._password = password
        self._app = {"AppId": app_id, "AppKey": app_key} if app_id or app_key else {}
        self._token_file = token_file
        self._auth: str | None = None
        self._action: str | None = None
        self._logins = 0

    def close(self) -> None:
        self.transport.close()

    def login(self) -> None:
        """Have an ``Auth`` token: the one in hand, the kept one, or a new login."""
        if self._auth is None:
            self._auth = self._kept()
        if self._auth is None:
            self._client_login()

    def call(
        self,
        method: str,
        path: str,
        *,
        query: Params | None = None,
        form: Params | None = None,
        relogin: bool = True,
        ok: Sequence[int] = (200,),
    ) -> Answer:
        """One API request (``path`` under ``reader/api/0/``); refused with a token this call
        did not just get, it logs in again once and repeats."""
        logins = self._logins
        self.login()
        try:
            return self._send(method, path, query, form, ok)
        except SyncAuthError:
            if not relogin or self._logins != logins:
                raise
        self._forget()
        self._client_login()
        return self._send(method, path, query, form, ok)

    def write(
        self,
        path: str,
        form: Sequence[tuple[str, str]],
        *,
        query: Params | None = None,
        ok: Sequence[int] = (200,),
    ) -> Answer:
        """A POST carrying the action token; refused, ``T`` is fetched again once."""
        for attempt in (0, 1):
            token = self._action_token()
            try:
                return self.call(
                    "POST", path, query=query, form=[*form, ("T", token)], relogin=False, ok=ok
                )
            except SyncAuthError:
                self._action = None
                if attempt:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(
        self,
        method: str,
        path: str,
        query: Params | None,
        form: Params | None,
        ok: Sequence[int],
    ) -> Answer:
        headers = {"Authorization": f"GoogleLogin auth={self._auth}", **self._app}
        return self.transport.request(
            method, f"{self.root}/{API}{path}", query=query, form=form, headers=headers, ok=ok
        )

    def _action_token(self) -> str:
        if self._action is None:
            answer = self.call("GET", "token")
            token = answer.body.decode("utf-8", "replace").strip()
            if not token or len(token) > 4096 or any(c.isspace() for c in token):
                raise SyncError(f"{self.server}: the answer to a token request is not a token")
            self._action = token
        return self._action

    def _client_login(self) -> None:
        self._logins += 1
        self._action = None
        # The Old Reader's documented login names the client, account type and service too.
        form = {
            "client": "biotui",
            "accountType": "HOSTED_OR_GOOGLE",
            "service": "reader",
            "Email": self._username,
            "Passwd": self._password(),
        }
        try:
            answer = self.transport.request(
                "POST",
                f"{self.root}/accounts/ClientLogin",
                form=form,
                headers=self._app,
                ok=(200, 400, 404),
            )
        except SyncAuthError:
            answer = None
        if answer is not None and answer.status == 404:
            raise SyncError(
                f"{self.server}: HTTP 404 at accounts/ClientLogin; is [sync] url the API root "
                "(FreshRSS: https://host/api/greader.php, Miniflux: https://host)?"
            )
        auth = _auth_line(answer.body) if answer is not None and answer.status == 200 else ""
        if answer is None or answer.status == 400:
            hint = "app_id and app_key, " if self._app else ""
            raise SyncAuthError(
                f"{self.server}: the server refused the login of {self._username!r}; check "
                f"[sync] {hint}username and password (the server's API password)"
            )
        if not auth:
            raise SyncError(f"{self.server}: the login answer holds no Auth token")
        self._auth = auth
        self._keep(auth)

    def _kept(self) -> str | None:
        if self._token_file is None:
            return None
        try:
            kept = json.loads(self._token_file.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            return None
        if (
            isinstance(kept, dict)
            and kept.get("url") == self.root
            and kept.get("username") == self._username
            and isinstance(kept.get("auth"), str)
            and kept["auth"]
        ):
            return str(kept["auth"])
        return None

    def _keep(self, auth: str) -> None:
        """Keep the token for the next process: readable by its owner only, written whole or
        not at all. A token that cannot be kept costs a login next time, nothing more."""
        if self._token_file is None:
            return
        path = self._token_file
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        data = json.dumps({"url": self.root, "username": self._username, "auth": auth})
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.fchmod(descriptor, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except OSError:
            temporary.unlink(missing_ok=True)

    def _forget(self) -> None:
        self._auth = None
        self._action = None
        if self._token_file is not None:
            with contextlib.suppress(OSError):
                self._token_file.unlink(missing_ok=True)


def _auth_line(body: bytes) -> str:
    for line in body.decode("utf-8", "replace").splitlines():
        if line.startswith("Auth="):
            return line[len("Auth=") :].strip()
    return ""
