"""`models/registry.json` (docs/model-package.md): versions, aliases and the append-only history.

Same rules as core/registry in TypeScript: training only registers; aliases move by an explicit promotion or rollback,
each with who and why. The file is replaced atomically.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REGISTRY_FILE = "registry.json"
# Shared with core/registry/registry-lock.ts: an exclusive file beside registry.json; older than 30 s = crashed writer.
LOCK_FILE = ".registry.json.lock"
LOCK_STALE_S = 30.0
LOCK_WAIT_S = 60.0
ALIASES = ("champion", "challenger", "fallback")


class RegistryError(Exception):
    pass


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@contextlib.contextmanager
def locked(models_dir: Path, wait_s: float = LOCK_WAIT_S) -> Iterator[None]:
    """Serialises read-modify-write changes with the TypeScript tools; the lock is kept fresh while held."""
    models_dir.mkdir(parents=True, exist_ok=True)
    lock = models_dir / LOCK_FILE
    give_up_at = time.monotonic() + wait_s
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            os.write(fd, f"{os.getpid()}\n".encode())
            os.close(fd)
            break
        except FileExistsError:
            try:
                age = time.time() - lock.stat().st_mtime
            except FileNotFoundError:
                continue
            if age > LOCK_STALE_S:
                lock.unlink(missing_ok=True)
                continue
            if time.monotonic() > give_up_at:
                raise RegistryError(f"{lock}: another registry change is in progress; retry in a moment") from None
            time.sleep(0.05)
    stop = threading.Event()

    def keep_fresh() -> None:
        while not stop.wait(5.0):
            with contextlib.suppress(OSError):
                os.utime(lock)

    heartbeat = threading.Thread(target=keep_fresh, daemon=True)
    heartbeat.start()
    try:
        yield
    finally:
        stop.set()
        heartbeat.join()
        lock.unlink(missing_ok=True)


def load(models_dir: Path) -> dict[str, Any]:
    path = models_dir / REGISTRY_FILE
    if not path.exists():
        return {"format_version": 1, "models": {}, "history": []}
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise RegistryError(f"{path}: is not valid JSON ({error})") from None
    if not isinstance(document, dict) or not isinstance(document.get("models"), dict):
        raise RegistryError(f'{path}: has no "models" object')
    document.setdefault("history", [])
    return document


def save(models_dir: Path, document: dict[str, Any]) -> None:
    models_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    fd, temporary = tempfile.mkstemp(prefix=".registry-", suffix=".json", dir=models_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, models_dir / REGISTRY_FILE)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _model(document: dict[str, Any], name: str, create: bool = False) -> dict[str, Any]:
    models = document["models"]
    if name not in models:
        if not create:
            known = ", ".join(sorted(models)) or "none"
            raise RegistryError(f"no model named {name!r} in the registry (models: {known})")
        models[name] = {"versions": {}, "aliases": {}}
    return models[name]


def find_by_sha256(document: dict[str, Any], name: str, sha256: str) -> str | None:
    model = document["models"].get(name)
    if not model:
        return None
    for version, entry in model["versions"].items():
        if entry.get("model_sha256") == sha256:
            return version
    return None


def next_version(document: dict[str, Any], name: str) -> str:
    model = document["models"].get(name)
    versions = [int(v) for v in model["versions"]] if model else []
    return str(max(versions, default=0) + 1)


def register(document: dict[str, Any], name: str, version: str, entry: dict[str, Any], by: str, reason: str) -> None:
    model = _model(document, name, create=True)
    if version in model["versions"]:
        raise RegistryError(f"{name} version {version} is already registered")
    model["versions"][version] = entry
    document["history"].append(
        {"at": entry["created_at"], "by": by, "action": "register", "model": name, "version": version, "reason": reason}
    )


def _require(by: str, reason: str) -> None:
    if not by.strip():
        raise RegistryError("who makes the change (--by) is required")
    if not reason.strip():
        raise RegistryError("a reason is required for every promotion and rollback")


def promote(document: dict[str, Any], name: str, alias: str, version: str, by: str, reason: str) -> dict[str, Any]:
    _require(by, reason)
    model = _model(document, name)
    if version not in model["versions"]:
        raise RegistryError(f"{name} has no version {version!r} (versions: {', '.join(model['versions'])})")
    previous = model["aliases"].get(alias)
    if previous == version:
        raise RegistryError(f"{alias} already points to version {version}")
    model["aliases"][alias] = version
    entry = {
        "at": now_iso(),
        "by": by,
        "action": "promote",
        "model": name,
        "alias": alias,
        "from": previous,
        "to": version,
        "reason": reason,
    }
    document["history"].append(entry)
    return entry


def rollback_target(document: dict[str, Any], name: str, alias: str) -> str | None:
    """Promotions push the version they replaced, rollbacks pop one (repeated rollbacks keep walking back)."""
    stack: list[str | None] = []
    for entry in document["history"]:
        if entry.get("model") != name or entry.get("action") == "register" or entry.get("alias") != alias:
            continue
        if entry["action"] == "promote":
            stack.append(entry.get("from"))
        elif stack:
            stack.pop()
    return stack[-1] if stack else None


def rollback(document: dict[str, Any], name: str, alias: str, by: str, reason: str) -> dict[str, Any]:
    _require(by, reason)
    model = _model(document, name)
    current = model["aliases"].get(alias)
    if current is None:
        raise RegistryError(f"{name} has no alias {alias!r}")
    target = rollback_target(document, name, alias)
    if target is None:
        raise RegistryError(f"{alias} has no earlier version to roll back to")
    if target not in model["versions"]:
        raise RegistryError(f"{alias} would roll back to version {target}, which is no longer registered")
    model["aliases"][alias] = target
    entry = {
        "at": now_iso(),
        "by": by,
        "action": "rollback",
        "model": name,
        "alias": alias,
        "from": current,
        "to": target,
        "reason": reason,
    }
    document["history"].append(entry)
    return entry
