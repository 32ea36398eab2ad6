from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from app.settings import Settings
from app.settings_errors import StartupRefused, load_settings

SECRET = "s" * 40


def test_production_refuses_the_development_issuer(tmp_path: Path) -> None:
    jwks = tmp_path / "jwks.json"
    jwks.write_text('{"keys": []}')
    with pytest.raises(
        ValidationError, match="VARDGRAF_DEV_ISSUER_ENABLED must be false in production"
    ):
        Settings(
            mode="production",
            secret_key=SECRET,
            citizen_issuer="https://idp",
            citizen_jwks_file=jwks,
        )


def test_production_needs_a_secret_and_an_issuer() -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(mode="production", dev_issuer_enabled=False)
    with pytest.raises(ValidationError, match="CITIZEN_ISSUER"):
        Settings(mode="production", dev_issuer_enabled=False, secret_key=SECRET)


def test_an_issuer_needs_its_keys() -> None:
    with pytest.raises(ValidationError, match="JWKS"):
        Settings(citizen_issuer="https://idp")


def test_a_complete_production_configuration_is_accepted(tmp_path: Path) -> None:
    jwks = tmp_path / "jwks.json"
    jwks.write_text('{"keys": []}')
    settings = Settings(
        mode="production",
        dev_issuer_enabled=False,
        secret_key=SECRET,
        citizen_issuer="https://idp",
        citizen_jwks_file=jwks,
    )
    assert settings.mode == "production"


def test_limits_and_rate_limits_come_from_nested_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VARDGRAF_LIMITS__MAX_DEPTH", "12")
    monkeypatch.setenv("VARDGRAF_RATE_LIMITS__CAPACITY", "500")
    settings = Settings()
    assert (settings.limits.max_depth, settings.limits.max_aliases) == (12, 15)
    assert settings.rate_limits.capacity == 500
    monkeypatch.setenv("VARDGRAF_LIMITS__MAX_DEPTH", "1")  # below what any document needs
    with pytest.raises(ValidationError, match="max_depth"):
        Settings()


def test_every_invalid_setting_stops_the_start_in_one_line_without_its_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VARDGRAF_METRICS_TOKEN", "x-secret")
    monkeypatch.setenv("VARDGRAF_LIMITS__MAX_DEPTH", "1")
    monkeypatch.setenv("VARDGRAF_MODE", "prod")
    with pytest.raises(StartupRefused) as refused:
        load_settings()
    assert str(refused.value.code).splitlines() == [
        "vardgraf cannot start: VARDGRAF_MODE: Input should be 'development' or 'production'",
        "vardgraf cannot start: VARDGRAF_METRICS_TOKEN: String should have at least 16 characters",
        "vardgraf cannot start: VARDGRAF_LIMITS__MAX_DEPTH: "
        "Input should be greater than or equal to 2",
    ]
    assert "x-secret" not in str(refused.value.code)


def test_production_names_every_rule_it_breaks_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VARDGRAF_MODE", "production")
    with pytest.raises(StartupRefused) as refused:
        load_settings()
    assert str(refused.value.code).splitlines() == [
        "vardgraf cannot start: VARDGRAF_DEV_ISSUER_ENABLED must be false in production",
        "vardgraf cannot start: VARDGRAF_SECRET_KEY is required in production",
        "vardgraf cannot start: VARDGRAF_CITIZEN_ISSUER is required in production",
    ]


def test_notification_settings_come_nested_and_their_rules_name_the_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VARDGRAF_NOTIFICATIONS__SMTP_HOST", "smtp.example.com")
    monkeypatch.setenv("VARDGRAF_NOTIFICATIONS__SMTP_USERNAME", "vardgraf")
    monkeypatch.setenv("VARDGRAF_NOTIFICATIONS__SMS_URL", "https://api.46elks.com")
    monkeypatch.setenv("VARDGRAF_NOTIFICATIONS__MAX_ATTEMPTS", "0")
    with pytest.raises(StartupRefused) as refused:
        load_settings()
    assert str(refused.value.code).splitlines() == [
        "vardgraf cannot start: VARDGRAF_NOTIFICATIONS__MAX_ATTEMPTS: "
        "Input should be greater than or equal to 1",
    ]
    monkeypatch.setenv("VARDGRAF_NOTIFICATIONS__MAX_ATTEMPTS", "3")
    with pytest.raises(StartupRefused) as refused:
        load_settings()
    assert str(refused.value.code).splitlines() == [
        "vardgraf cannot start: VARDGRAF_NOTIFICATIONS__SMS_URL needs "
        "VARDGRAF_NOTIFICATIONS__SMS_API_USER and _SMS_API_SECRET",
        "vardgraf cannot start: VARDGRAF_NOTIFICATIONS__SMTP_USERNAME and _SMTP_PASSWORD "
        "go together",
    ]
    monkeypatch.setenv("VARDGRAF_NOTIFICATIONS__SMTP_PASSWORD", "secret")
    monkeypatch.setenv("VARDGRAF_NOTIFICATIONS__SMS_API_USER", "u")
    monkeypatch.setenv("VARDGRAF_NOTIFICATIONS__SMS_API_SECRET", "s")
    notify = load_settings().notifications
    assert (notify.smtp_host, notify.smtp_port, notify.max_attempts) == ("smtp.example.com", 587, 3)
