"""What cannot be used stops the start-up with one line each, and no traceback: settings,
naming the variable and the rule it breaks (never the value: it may be a secret), and the
other start-up checks (e.g. app/observability/metrics.py's store), which raise StartupRefused
themselves."""

from __future__ import annotations

from pydantic import ValidationError

from app.settings import Settings

PREFIX = "VARDGRAF_"


class StartupRefused(SystemExit):
    """Ends the process with these lines on stderr and exit status 1 (SystemExit prints a
    message it is given as it is)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(f"vardgraf cannot start: {line}" for line in lines))


def load_settings() -> Settings:
    """The settings from the environment, or StartupRefused."""
    try:
        return Settings()
    except ValidationError as invalid:
        raise StartupRefused(describe(invalid)) from None


def describe(invalid: ValidationError) -> list[str]:
    lines = []
    for error in invalid.errors(include_input=False, include_url=False):
        fields = [str(part) for part in error["loc"] if not isinstance(part, int)]
        rule = str(error["msg"]).removeprefix("Value error, ")
        if fields:
            lines.append(f"{PREFIX}{'__'.join(fields).upper()}: {rule}")
        else:  # rules across settings (production's): each names its variables
            lines.extend(rule.split("; "))
    return lines
