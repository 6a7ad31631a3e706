"""Running ``manage.py`` in another process under the production settings."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The least the environment must give the production settings.
PRODUCTION = {
    "SECRET_KEY": "a-long-production-secret-5d8f7e6a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a",
    "SITE_URL": "https://newsroom.example.org",
    "ALLOWED_HOSTS": "newsroom.example.org",
}


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
