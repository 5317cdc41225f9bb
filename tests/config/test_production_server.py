"""The production web server as an operator runs it (docs/deploy.md): collectstatic, then gunicorn.

gunicorn serves HTTPS itself here (a certificate from a throw-away CA), so
the production settings stay as they are: https redirects, secure cookies,
HSTS. It uses the test database, PostgreSQL in `make test`.
"""

from __future__ import annotations

import re
import secrets
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import trustme

from tests.database_support import shared_database_url
from tests.factories import PASSWORD, make_user
from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def production_env(transactional_db, tmp_path) -> dict[str, str]:
    """Only what docs/deploy.md tells an operator to set."""
    return {
        "PATH": "/usr/bin:/bin",
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "config.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": shared_database_url(),
        "STATIC_ROOT": str(tmp_path / "static"),
    }


@pytest.fixture
def server(production_env, tmp_path):
    """`collectstatic`, then gunicorn on a free port with TLS; yields (base URL, httpx client trusting its CA)."""
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=production_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert collected.returncode == 0, collected.stdout + collected.stderr

    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1")
    certificate.private_key_pem.write_to_path(str(tmp_path / "key.pem"))
    certificate.cert_chain_pems[0].write_to_path(str(tmp_path / "cert.pem"))
    port = free_port()
    gunicorn = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"),
            *("--certfile", str(tmp_path / "cert.pem"), "--keyfile", str(tmp_path / "key.pem")),
        ],
        cwd=ROOT,
        env=production_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    trust = ssl.create_default_context()
    authority.configure_trust(trust)
    base = f"https://127.0.0.1:{port}"
    with httpx.Client(base_url=base, verify=trust, timeout=30) as client:
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    client.get("/login/")
                    break
                except httpx.TransportError:
                    assert gunicorn.poll() is None, gunicorn.communicate()[0]
                    assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
                    time.sleep(0.3)
            yield base, client
        finally:
            gunicorn.terminate()
            output, _ = gunicorn.communicate(timeout=60)
    assert gunicorn.returncode == 0, output


def _log_in(base: str, client: httpx.Client, username: str) -> None:
    page = client.get("/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = client.post(
        "/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/login/"},  # Django's CSRF check wants it on HTTPS
    )
    assert answer.status_code == 302, answer.text


def test_gunicorn_serves_the_login_page_static_files_and_the_schema_behind_login(server):
    base, client = server
    page = client.get("/login/")
    assert page.status_code == 200
    assert page.headers["strict-transport-security"].startswith("max-age=31536000")
    stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page.text)
    assert stylesheet, page.text  # the hashed name collectstatic wrote, not css/app.css

    css = client.get(stylesheet.group(1), headers={"Accept-Encoding": "gzip"})
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert css.headers["content-encoding"] == "gzip"  # precompressed by collectstatic
    assert "immutable" in css.headers["cache-control"]
    assert css.text == (ROOT / "static" / "css" / "app.css").read_text()

    assert client.get("/api/schema/").status_code == 401
    make_user("operator")
    _log_in(base, client, "operator")
    schema = client.get("/api/schema/", headers={"Accept": "application/json"})
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Workflow Studio API"
