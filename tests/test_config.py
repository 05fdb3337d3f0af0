"""Settings from the environment and .env."""

from __future__ import annotations

from pathlib import Path

import pytest

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
