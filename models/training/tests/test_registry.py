import json

import pytest

from vigie_training import registry
from vigie_training.cli import main


def _document_with_versions(*versions):
    document = {"format_version": 1, "models": {}, "history": []}
    for version in versions:
        entry = {
            "path": f"credit-default/{version}",
            "created_at": registry.now_iso(),
            "model_sha256": f"sha-{version}",
        }
        registry.register(document, "credit-default", version, entry, "training", "test")
    return document


def test_registering_never_moves_an_alias():
    document = _document_with_versions("1", "2")
    assert document["models"]["credit-default"]["aliases"] == {}
    assert [h["action"] for h in document["history"]] == ["register", "register"]


def test_the_next_version_counts_up_from_the_highest():
    assert registry.next_version(_document_with_versions("1", "2", "7"), "credit-default") == "8"


def test_a_package_is_found_by_its_model_hash():
    document = _document_with_versions("1", "2")
    assert registry.find_by_sha256(document, "credit-default", "sha-2") == "2"
    assert registry.find_by_sha256(document, "credit-default", "other") is None


def test_promotion_records_who_why_and_the_previous_version():
    document = _document_with_versions("1", "2")
    registry.promote(document, "credit-default", "champion", "1", "alice", "first release")
    entry = registry.promote(document, "credit-default", "champion", "2", "bob", "better AUC")
    assert entry["from"] == "1" and entry["to"] == "2" and entry["by"] == "bob" and entry["reason"] == "better AUC"


def test_rollback_walks_back_through_promotions():
    document = _document_with_versions("1", "2", "3")
    for version in ("1", "2", "3"):
        registry.promote(document, "credit-default", "champion", version, "alice", "release")
    assert registry.rollback(document, "credit-default", "champion", "bob", "regression")["to"] == "2"
    assert registry.rollback(document, "credit-default", "champion", "bob", "still bad")["to"] == "1"
    with pytest.raises(registry.RegistryError, match="no earlier version"):
        registry.rollback(document, "credit-default", "champion", "bob", "again")


@pytest.mark.parametrize(
    ("version", "by", "reason", "message"),
    [("9", "alice", "why", "no version"), ("1", "alice", " ", "reason is required"), ("1", "", "why", "--by")],
)
def test_a_bad_promotion_is_refused_with_its_reason(version, by, reason, message):
    with pytest.raises(registry.RegistryError, match=message):
        registry.promote(_document_with_versions("1"), "credit-default", "champion", version, by, reason)


def test_the_file_is_replaced_whole_and_read_back(tmp_path):
    document = _document_with_versions("1")
    registry.save(tmp_path, document)
    assert registry.load(tmp_path) == document
    assert [p.name for p in tmp_path.iterdir()] == ["registry.json"]


def test_promote_and_rollback_from_the_command_line(tmp_path, capsys):
    registry.save(tmp_path, _document_with_versions("1", "2"))
    common = ["--models", str(tmp_path), "--alias", "champion", "--by", "alice"]
    assert main(["promote", *common, "--version", "1", "--reason", "first release"]) == 0
    assert main(["promote", *common, "--version", "2", "--reason", "retrained"]) == 0
    assert main(["rollback", *common, "--reason", "worse in production"]) == 0
    saved = json.loads((tmp_path / "registry.json").read_text())
    assert saved["models"]["credit-default"]["aliases"]["champion"] == "1"
    assert main(["promote", *common, "--version", "5", "--reason", "typo"]) == 2
    assert "has no version '5'" in capsys.readouterr().err


def test_a_change_waits_for_the_lock_another_writer_holds(tmp_path):
    (tmp_path / registry.LOCK_FILE).write_text("123\n")
    with pytest.raises(registry.RegistryError, match="another registry change is in progress"):
        with registry.locked(tmp_path, wait_s=0.2):
            pass


def test_a_stale_lock_left_by_a_crashed_writer_is_taken_over_and_released(tmp_path):
    import os

    lock = tmp_path / registry.LOCK_FILE
    lock.write_text("123\n")
    old = lock.stat().st_mtime - registry.LOCK_STALE_S - 5
    os.utime(lock, (old, old))
    with registry.locked(tmp_path, wait_s=0.2):
        assert lock.read_text() == f"{os.getpid()}\n"
    assert not lock.exists()
