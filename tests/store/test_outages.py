"""The database going away and coming back, through a TCP relay on loopback."""

import contextlib
import socket
import threading

import pytest

from cloudviz.errors import DatabaseUnavailableError
from cloudviz.store.database import Database
from cloudviz.store.snapshots import SnapshotService
from tests.db_fixtures import ADMIN_URL


class Relay:
    """Forwards 127.0.0.1:<port> to PostgreSQL; `cut()` drops every connection."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.up = threading.Event()
        self.up.set()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up.is_set():
                client.close()
                continue
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                end.close()

    def cut(self) -> None:
        self.up.clear()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self.sockets.clear()

    def restore(self) -> None:
        self.up.set()

    def close(self) -> None:
        self.cut()
        self.listener.close()


@pytest.mark.postgres
def test_outage_is_cv005_and_service_resumes_without_restart(migrated_postgres):
    relay = Relay(("127.0.0.1", 5432))
    name = migrated_postgres.url.database
    url = f"{ADMIN_URL.rsplit('@', 1)[0]}@127.0.0.1:{relay.port}/{name}"
    database = Database.from_url(url)
    try:
        with database.session() as session:
            assert SnapshotService(session).count() >= 0

        relay.cut()
        with (
            pytest.raises(DatabaseUnavailableError) as caught,
            database.session() as session,
        ):
            SnapshotService(session).count()
        assert caught.value.cv_code == "CV005"
        assert "cloudviz db status" in caught.value.hint

        relay.restore()
        with database.session() as session:
            assert SnapshotService(session).count() >= 0
    finally:
        database.dispose()
        relay.close()


def test_unwritable_sqlite_folder_is_cv005(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(DatabaseUnavailableError, match="cannot create the database"):
        Database.from_url(f"sqlite:///{blocker}/sub/cloudviz.db")
