"""Production settings refuse to start unsafely, and pass check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
GOOD_SECRET = "x" * 20 + "-production-secret-for-the-test-only-0123456789"


def run(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update({"DJANGO_SETTINGS_MODULE": "cchc.settings", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run("check", DJANGO_ENV="production", ALLOWED_HOSTS="cchc.example.vn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run("check", DJANGO_ENV="production", SECRET_KEY=GOOD_SECRET)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = run(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="cchc.example.vn",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_env_example_lists_every_variable_the_settings_read():
    import re

    settings_src = (ROOT / "cchc" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env(?:_bool|_list)?\("([A-Z_]+)"', settings_src))
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#?\s*([A-Z_]+)=", example, flags=re.MULTILINE))
    assert read, "the settings read no variables?"
    assert read - listed == set()
