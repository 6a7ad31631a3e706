"""Production settings come from the environment and pass Django's deployment checks."""

import pytest

from tests.helpers.settings import PRODUCTION, manage


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
