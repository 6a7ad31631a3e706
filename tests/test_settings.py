"""Production settings come from the environment and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, env, tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    clean.update({"DJANGO_SETTINGS_MODULE": "osce_site.settings", "VAR_DIR": str(tmp_path)})
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={k: v for k, v in clean.items() if v is not None},
        capture_output=True,
        text=True,
        timeout=60,
    )


PRODUCTION = {
    "SECRET_KEY": "a-long-production-secret-5d8f7e6a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a",
    "ALLOWED_HOSTS": "newsroom.example.org",
}


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    result = manage("check", env={"SECRET_KEY": None}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("value", ["1", "true", "True", "yes", "on"])
def test_debug_is_on_only_when_set_to_a_true_value(tmp_path, value):
    code = "from django.conf import settings; print(settings.DEBUG)"
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        env={"DEBUG": value, "SECRET_KEY": None},
        tmp_path=tmp_path,
    )
    assert result.stdout.strip() == "True", result.stderr


def test_debug_off_for_any_other_value(tmp_path):
    code = "from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)"
    result = manage(
        "shell", "--no-imports", "-c", code, env={**PRODUCTION, "DEBUG": "0"}, tmp_path=tmp_path
    )
    assert result.stdout.strip() == "False True", result.stderr


def test_database_url_switches_to_postgresql(tmp_path):
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    env = {**PRODUCTION, "DATABASE_URL": "postgres://u:p@db.example.org:5432/newsroom"}
    result = manage("shell", "--no-imports", "-c", code, env=env, tmp_path=tmp_path)
    assert result.stdout.strip() == "django.db.backends.postgresql", result.stderr


def test_local_admin_command_refuses_with_debug_off(tmp_path):
    result = manage("ensure_local_admin", env=PRODUCTION, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "Refusing" in result.stderr
