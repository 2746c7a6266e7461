import re
from pathlib import Path

import pytest

from smartmed.settings import PREFIX, SETTINGS, Settings, SettingsError

README = Path(__file__).resolve().parents[2] / "README.md"


def test_defaults_come_from_the_table() -> None:
    settings = Settings.from_env({})
    assert settings.snippet_chars == 220
    assert settings.max_file_bytes == 262144
    assert settings.content_dir is None


def test_values_are_read_and_cast_from_the_environment(tmp_path: Path) -> None:
    settings = Settings.from_env({
        "SMARTMED_CONTENT_DIR": str(tmp_path),
        "SMARTMED_SNIPPET_CHARS": "120",
        "SMARTMED_METRICS": "off",
        "SMARTMED_BASE_URL": "https://svc.example/",
    })
    assert settings.content_dir == tmp_path
    assert settings.snippet_chars == 120
    assert settings.metrics is False
    assert settings.base_url == "https://svc.example"


def test_an_unknown_variable_is_an_error_naming_it() -> None:
    with pytest.raises(SettingsError, match="SMARTMED_SNIPET_CHARS: unknown setting"):
        Settings.from_env({"SMARTMED_SNIPET_CHARS": "100"})


def test_a_bad_value_is_an_error_naming_the_variable_and_value() -> None:
    with pytest.raises(SettingsError, match=r"SMARTMED_SNIPPET_CHARS='abc'"):
        Settings.from_env({"SMARTMED_SNIPPET_CHARS": "abc"})
    with pytest.raises(SettingsError, match="must be a positive integer"):
        Settings.from_env({"SMARTMED_MAX_FILE_BYTES": "0"})
    with pytest.raises(SettingsError, match="SMARTMED_BASE_URL"):
        Settings.from_env({"SMARTMED_BASE_URL": "ftp://x"})


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(SettingsError) as info:
        Settings.from_env({"SMARTMED_NOPE": "1", "SMARTMED_METRICS": "maybe"})
    assert "SMARTMED_NOPE" in str(info.value) and "SMARTMED_METRICS" in str(info.value)


def test_other_environment_variables_are_ignored() -> None:
    assert Settings.from_env({"PATH": "/bin", "SMARTMEDX": "1"}) == Settings()


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    documented = set(re.findall(r"`(SMARTMED_[A-Z_]+)`", readme))
    declared = {PREFIX + name.upper() for name, *_ in SETTINGS}
    assert declared <= documented, declared - documented


def test_each_default_is_written_once_and_the_environment_default_is_the_same() -> None:
    assert Settings.from_env({}) == Settings()
    assert [name for name, *_ in SETTINGS][:3] == ["content_dir", "base_url", "snippet_chars"]
