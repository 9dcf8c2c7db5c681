"""The sandbox's state: one SQLite database (a file or in memory).

Every object is a JSON document of a ``kind`` with an integer id and an optional
unique ``key`` (our reference: order_id, reference_number, sku, manifest_id...).
All access happens on the server's event-loop thread.
"""

import contextlib
import json
import sqlite3
import time

#: First id per kind (shipment ids are 9-digit, as the real API's since 2024).
ID_START = {"shipment": 100000001, "order": 5000001, "label": 7000001}


def _as_id(value):
    """An id SQLite can hold, or None (such an object cannot exist)."""
    try:
        value = int(value)
    except (TypeError, ValueError):
        return None
    return value if -(2**63) <= value < 2**63 else None


class Duplicate(Exception):
    def __init__(self, kind, key, existing):
        super().__init__(f"{kind} {key} exists")
        self.existing = existing


class Store:
    def __init__(self, path=":memory:"):
        self.path = path
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute(
            "PRAGMA journal_mode=WAL"
            if path != ":memory:"
            else "PRAGMA journal_mode=MEMORY"
        )
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS objects (
                kind TEXT NOT NULL, id INTEGER NOT NULL, key TEXT,
                data TEXT NOT NULL, created REAL NOT NULL,
                PRIMARY KEY (kind, id));
            CREATE UNIQUE INDEX IF NOT EXISTS objects_key ON objects (kind, key)
                WHERE key IS NOT NULL;
            CREATE TABLE IF NOT EXISTS sequences (
                kind TEXT PRIMARY KEY, last INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS files (
                kind TEXT NOT NULL, id TEXT NOT NULL, name TEXT,
                content BLOB NOT NULL, PRIMARY KEY (kind, id));
            """
        )

    @contextlib.contextmanager
    def atomic(self):
        """All writes inside happen together or not at all."""
        if self.db.in_transaction:
            yield
            return
        self.db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _next_id(self, kind):
        """The next id of a kind: never one that existed, even if deleted
        (nor across a reset), as the real API's ids are never reused."""
        row = self.db.execute(
            "SELECT MAX(COALESCE((SELECT last FROM sequences WHERE kind=?), 0),"
            " COALESCE((SELECT MAX(id) FROM objects WHERE kind=?), 0))",
            (kind, kind),
        ).fetchone()
        new_id = max(row[0] + 1, ID_START.get(kind, 1))
        self.db.execute(
            "INSERT INTO sequences (kind, last) VALUES (?, ?)"
            " ON CONFLICT (kind) DO UPDATE SET last = excluded.last",
            (kind, new_id),
        )
        return new_id

    def insert(self, kind, data, key=None):
        """Store a new object; raises :class:`Duplicate` for a taken key."""
        if key is not None:
            existing = self.find(kind, key)
            if existing is not None:
                raise Duplicate(kind, key, existing)
        new_id = self._next_id(kind)
        data = dict(data, id=new_id)
        self.db.execute(
            "INSERT INTO objects (kind, id, key, data, created) VALUES (?, ?, ?, ?, ?)",
            (kind, new_id, key, json.dumps(data), time.time()),
        )
        return data

    def get(self, kind, obj_id):
        obj_id = _as_id(obj_id)
        if obj_id is None:
            return None
        row = self.db.execute(
            "SELECT data FROM objects WHERE kind=? AND id=?", (kind, obj_id)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def find(self, kind, key):
        row = self.db.execute(
            "SELECT data FROM objects WHERE kind=? AND key=?", (kind, key)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def created(self, kind, obj_id):
        row = self.db.execute(
            "SELECT created FROM objects WHERE kind=? AND id=?", (kind, int(obj_id))
        ).fetchone()
        return row[0] if row else None

    def list(self, kind, filters=None, limit=None, offset=0, order_desc=False):
        """Objects of a kind whose JSON fields equal ``filters`` (None = any)."""
        sql = "SELECT data FROM objects WHERE kind=?"
        args = [kind]
        for field, value in (filters or {}).items():
            if value is None:
                continue
            sql += f" AND CAST(json_extract(data, '$.{field}') AS TEXT) = ?"
            args.append(str(value).lower() if isinstance(value, bool) else str(value))
        sql += " ORDER BY id DESC" if order_desc else " ORDER BY id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [int(limit), int(offset or 0)]
        return [json.loads(r[0]) for r in self.db.execute(sql, args)]

    def update(self, kind, data):
        self.db.execute(
            "UPDATE objects SET data=? WHERE kind=? AND id=?",
            (json.dumps(data), kind, int(data["id"])),
        )
        return data

    def delete(self, kind, obj_id):
        cur = self.db.execute(
            "DELETE FROM objects WHERE kind=? AND id=?", (kind, _as_id(obj_id))
        )
        return cur.rowcount > 0

    def count(self, kind):
        return self.db.execute(
            "SELECT COUNT(*) FROM objects WHERE kind=?", (kind,)
        ).fetchone()[0]

    def counts(self):
        return dict(self.db.execute("SELECT kind, COUNT(*) FROM objects GROUP BY kind"))

    def put_file(self, kind, file_id, content, name=None):
        self.db.execute(
            "INSERT OR REPLACE INTO files (kind, id, name, content) VALUES (?, ?, ?, ?)",
            (kind, str(file_id), name, content),
        )

    def get_file(self, kind, file_id):
        row = self.db.execute(
            "SELECT name, content FROM files WHERE kind=? AND id=?",
            (kind, str(file_id)),
        ).fetchone()
        return (row[0], bytes(row[1])) if row else None

    def delete_file(self, kind, file_id):
        cur = self.db.execute(
            "DELETE FROM files WHERE kind=? AND id=?", (kind, str(file_id))
        )
        return cur.rowcount > 0

    def reset(self):
        self.db.execute("DELETE FROM objects")
        self.db.execute("DELETE FROM files")
