"""Settings from the environment and .env."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import config
from bot.config import DEFAULT_API_URL, ConfigError, load_settings


def test_defaults(tmp_path: Path) -> None:
    s = load_settings({}, dotenv=tmp_path / "absent.env")
    assert s.token is None and s.api_url == DEFAULT_API_URL and s.faq_path.name == "faq.json"
    assert s.question_log is not None and s.log_level == "INFO"


def test_dotenv_is_read_and_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("# comment\nexport TELEGRAM_BOT_TOKEN='1:abc'\nLOG_LEVEL=debug\nFAQ_PATH=x.json\n")
    s = load_settings({"FAQ_PATH": "y.json"}, dotenv=env_file)
    assert s.token == "1:abc" and s.log_level == "DEBUG" and s.faq_path == Path("y.json")


def test_api_url_trailing_slash_and_log_off(tmp_path: Path) -> None:
    s = load_settings({"TELEGRAM_API_URL": "http://127.0.0.1:9/", "QUESTION_LOG": "off"}, dotenv=tmp_path / "n")
    assert s.api_url == "http://127.0.0.1:9" and s.question_log is None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL"),
        ({"TELEGRAM_API_URL": "ftp://x"}, "TELEGRAM_API_URL"),
        ({"WEBHOOK_PORT": "http"}, "WEBHOOK_PORT"),
        ({"ADMIN_USER_IDS": "12,bob"}, "ADMIN_USER_IDS"),
        ({"TELEGRAM_HTTP": "curl"}, "TELEGRAM_HTTP"),
    ],
)
def test_bad_settings_name_the_variable(tmp_path: Path, env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(env, dotenv=tmp_path / "none")


def test_malformed_dotenv_line(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("JUSTAWORD\n")
    with pytest.raises(ConfigError, match="line 1: expected KEY=VALUE"):
        load_settings({}, dotenv=env_file)


def test_repr_never_shows_the_token(tmp_path: Path) -> None:
    s = load_settings({"TELEGRAM_BOT_TOKEN": "123:SECRET"}, dotenv=tmp_path / "none")
    assert "SECRET" not in repr(s)


def test_http_client_switch(tmp_path: Path) -> None:
    assert load_settings({}, dotenv=tmp_path / "none").telegram_http == "stream"
    assert load_settings({"TELEGRAM_HTTP": "HTTPX"}, dotenv=tmp_path / "none").telegram_http == "httpx"


def test_dotenv_inline_comments_quotes_and_export(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "TELEGRAM_BOT_TOKEN=123:abc # from BotFather\n"
        'export FAQ_PATH="my faq.json"  # quoted, with a space\n'
        "ADMIN_USER_IDS='1, 2'\n"
        "QUESTION_LOG=$HOME/q.db\n"
    )
    s = load_settings({}, dotenv=env_file)
    assert s.token == "123:abc" and s.faq_path == Path("my faq.json") and s.admin_user_ids == {1, 2}
    assert s.question_log == Path("$HOME/q.db")  # no expansion: what the file says


def test_only_the_projects_dotenv_is_read_unless_dotenv_path_says_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("FAQ_PATH=from-the-current-folder.json\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(config, "PROJECT_ROOT", tmp_path / "project")
    assert load_settings({}).faq_path != Path("from-the-current-folder.json")
    other = tmp_path / "elsewhere.env"
    other.write_text("FAQ_PATH=named.json\n")
    assert load_settings({"DOTENV_PATH": str(other)}).faq_path == Path("named.json")
    with pytest.raises(ConfigError, match="DOTENV_PATH"):
        load_settings({"DOTENV_PATH": str(tmp_path / "missing.env")})


@pytest.mark.parametrize(
    ("url", "warned"),
    [
        ("http://127.0.0.1:8081", False),
        ("http://localhost:8081", False),
        ("http://[::1]:8081", False),
        ("https://api.telegram.org", False),
        ("http://botapi.internal:8081", True),
        ("http://10.0.0.5", True),
    ],
)
def test_plain_http_to_another_machine_is_warned_about(tmp_path: Path, url: str, warned: bool) -> None:
    s = load_settings({"TELEGRAM_API_URL": url}, dotenv=tmp_path / "none")
    assert bool(s.warnings) == warned
    if warned:
        assert "unencrypted" in s.warnings[0] and len(s.warnings) == 1
