"""The real servers behind the single sign-on tests, on loopback:

* an OpenID provider, the npm package oidc-provider run by node
  (tests/sso/oidc/provider.mjs; ``npm ci`` there when node_modules is
  missing, as scripts/run-tests.sh does);
* OpenLDAP's slapd (Debian's ``slapd``) in a temporary directory, loaded
  with tests/sso/ldap/directory.ldif before it starts.

Each is started once per test module and stopped after it.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
OIDC_DIR = HERE / "oidc"
LDAP_DIR = HERE / "ldap"
SLAPD = Path("/usr/sbin/slapd")
SLAPADD = Path("/usr/sbin/slapadd")
LDAP_BASE = "dc=hub,dc=test"
LDAP_ADMIN = f"cn=admin,{LDAP_BASE}"
LDAP_ADMIN_PASSWORD = "admin-secret"
CLIENT_ID = "model-commons"
CLIENT_SECRET = "test-client-secret-that-is-long-enough"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on port {port} within 30 s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class OidcProvider:
    """A running provider; ``accounts`` (sub -> claims) is re-read by it on
    every request, so ``set_account`` changes what the next sign-in sees."""

    issuer: str
    accounts_file: Path
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)

    def set_account(self, sub: str, **claims: Any) -> None:
        self.accounts[sub] = claims
        self.accounts_file.write_text(json.dumps(self.accounts))

    def reset(self) -> None:
        self.accounts.clear()
        self.accounts_file.write_text("{}")


def _npm_ci() -> None:
    if (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        return
    if not shutil.which("npm"):
        pytest.skip("npm is not installed (apt-get install npm; run-tests.sh does)")
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund"],
        cwd=OIDC_DIR,
        check=True,
        capture_output=True,
        timeout=300,
    )


@contextmanager
def oidc_provider(redirect_uri: str) -> Iterator[OidcProvider]:
    """oidc-provider on a free loopback port, its one client redirecting to
    ``redirect_uri``."""
    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed (apt-get install nodejs npm)")
    _npm_ci()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="mc-oidc-") as scratch:
        accounts = Path(scratch) / "accounts.json"
        accounts.write_text("{}")
        process = subprocess.Popen(
            [
                node,
                str(OIDC_DIR / "provider.mjs"),
                str(port),
                str(accounts),
                CLIENT_ID,
                CLIENT_SECRET,
                redirect_uri,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for_port(port, process, "the OpenID provider (node)")
            yield OidcProvider(f"http://127.0.0.1:{port}", accounts)
        finally:
            _stop(process)


SLAPD_CONF = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {root}/slapd.pid
database mdb
maxsize 10485760
suffix "{base}"
rootdn "{admin}"
rootpw {password}
directory {root}/db
"""


@dataclass
class LdapServer:
    uri: str
    base: str = LDAP_BASE
    admin: str = LDAP_ADMIN
    admin_password: str = LDAP_ADMIN_PASSWORD


@contextmanager
def ldap_server() -> Iterator[LdapServer]:
    """slapd on a free loopback port with tests/sso/ldap/directory.ldif."""
    if not SLAPD.exists():
        pytest.skip("slapd is not installed (apt-get install slapd; run-tests.sh does)")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="mc-slapd-") as scratch:
        root = Path(scratch)
        (root / "db").mkdir()
        conf = root / "slapd.conf"
        conf.write_text(
            SLAPD_CONF.format(
                root=root,
                base=LDAP_BASE,
                admin=LDAP_ADMIN,
                password=LDAP_ADMIN_PASSWORD,
            )
        )
        subprocess.run(
            [str(SLAPADD), "-f", str(conf), "-l", str(LDAP_DIR / "directory.ldif")],
            check=True,
            capture_output=True,
        )
        uri = f"ldap://127.0.0.1:{port}"
        # -d 0: stays in the foreground (a child this fixture can stop).
        process = subprocess.Popen(
            [str(SLAPD), "-f", str(conf), "-h", f"{uri}/", "-d", "0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for_port(port, process, "slapd")
            yield LdapServer(uri)
        finally:
            _stop(process)
