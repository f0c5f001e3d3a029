"""`make prod-local`: the whole production stack on 127.0.0.1, from Debian packages and PyPI.

    python deploy/prod_local.py start [--folder var/prod-local]   # or: make prod-local
    python deploy/prod_local.py stop  [--folder var/prod-local]   # or: make prod-local-stop
    python deploy/prod_local.py status

Everything lives in one folder (default var/prod-local/): its own PostgreSQL cluster (initdb, a spare port, a
generated password), its own Redis (append-only file), a local S3 server (moto in server mode) holding the
documents through django-storages, clamd (the project's configuration, local signatures), an RFC 3161 TSA over
HTTP (manage.py serve_tsa), the development identity provider, two gunicorn nodes behind one nginx upstream
(TLS with a CA generated here), the task worker and the scheduler, all with ``SECM_PROFILE=production``.

Keys are generated once into ``<folder>/secrets`` (mode 0700): Django's, the national number's, the audit seal's,
the platform's signing certificate and the TSA's (a private CA made here, never the demo's), the database's and
Redis's passwords. The production profile refuses an identity provider on 127.0.0.1: ``SECM_LOCAL_REHEARSAL=1``
is its one narrow exception, accepted only when the portal answers for 127.0.0.1 alone (docs/settings.md).

Every process started is recorded in ``<folder>/run/<name>.pid``; ``stop`` ends exactly those (SIGTERM, then
SIGKILL after a while), newest first. The fault tests (eservices/operations/tests/test_faults.py) use the same
class to stop and start one service at a time.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import ipaddress
import json
import os
import pwd
import secrets
import shlex
import shutil
import signal
import socket
import subprocess  # nosec B404 - starts the stack's own processes
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
# Start order; stop goes the other way.
SERVICES = ("postgres", "redis", "s3", "tsa", "idp", "clamd", "web1", "web2", "worker", "scheduler", "nginx")
# Below the kernel's ephemeral range (32768+), so that no outgoing connection holds one of them by chance.
PREFERRED_PORTS = {
    "https": 8443,
    "http": 8480,
    "postgres": 15432,
    "redis": 16379,
    "s3": 19000,
    "tsa": 18318,
    "idp": 18089,
    "web1": 18001,
    "web2": 18002,
}
BUCKET = "secm-documents"
S3_ACCESS_KEY = "prod-local"  # moto accepts any key pair; the secret is generated like the others


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def any_free_port() -> int:
    """A free port between 20000 and 32000 (below the ephemeral range)."""
    while True:
        port = 20000 + secrets.randbelow(12000)
        if port_free(port):
            return port


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def wait_until(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up within {seconds:.0f} s")


def _binary(name: str) -> str:
    found = shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if p.exists()), None
    )
    if found is None:
        raise RuntimeError(f"{name} is not installed: make system-packages")
    return found


def _postgres_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if not versions:
        raise RuntimeError("PostgreSQL is not installed: make system-packages")
    return versions[-1].parent


class ProdLocal:
    """One prod-local stack in ``folder``."""

    def __init__(self, folder: Path | str = ROOT / "var" / "prod-local", *, preferred_ports: bool = True):
        self.folder = Path(folder).resolve()
        self.secrets = self.folder / "secrets"
        self.run_dir = self.folder / "run"
        self.log_dir = self.folder / "log"
        self.data = self.folder / "data"
        self.config = self.folder / "config"
        self.pgdata = self._pgdata()
        self.preferred_ports = preferred_ports
        self._ports: dict[str, int] | None = None

    def _pgdata(self) -> Path:
        """In the stack's folder, unless PostgreSQL's account (as root) cannot reach it (a clone under /root)."""
        inside = self.folder / "pgdata"
        if os.geteuid() != 0 or all(parent.stat().st_mode & 0o001 for parent in self.folder.parents if parent.exists()):
            return inside
        digest = hashlib.sha256(str(self.folder).encode()).hexdigest()[:12]
        return Path("/var/tmp") / f"secm-prod-local-{digest}" / "pgdata"  # noqa: S108 # nosec B108 - mode 0700

    # --- ports, secrets, environment -------------------------------------------------------------------------
    @property
    def ports(self) -> dict[str, int]:
        if self._ports is None:
            path = self.folder / "ports.json"
            if path.exists():
                self._ports = json.loads(path.read_text())
            else:
                chosen: dict[str, int] = {}
                for name, preferred in PREFERRED_PORTS.items():
                    port = preferred if self.preferred_ports and port_free(preferred) else any_free_port()
                    while port in chosen.values():
                        port = any_free_port()
                    chosen[name] = port
                self.folder.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(chosen, indent=2))
                self._ports = chosen
        return self._ports

    @property
    def site_url(self) -> str:
        return f"https://127.0.0.1:{self.ports['https']}"

    def _secret(self, name: str, make) -> Path:
        path = self.secrets / name
        if not path.exists():
            path.write_text(make(), encoding="utf-8")
            path.chmod(0o600)
        return path

    def make_secrets(self) -> None:
        """Keys and certificates of this stack, generated once (never the demo's)."""
        from cryptography.fernet import Fernet

        self.secrets.mkdir(parents=True, exist_ok=True)
        self.secrets.chmod(0o700)
        self._secret("secret_key", lambda: secrets.token_urlsafe(64))
        self._secret("nrn_hash_key", lambda: secrets.token_urlsafe(48))
        self._secret("nrn_encryption_keys", lambda: Fernet.generate_key().decode())
        self._secret("audit_seal_key", lambda: secrets.token_urlsafe(48))
        self._secret("pkcs12_passphrase", lambda: secrets.token_urlsafe(24))
        self._secret("postgres_password", lambda: secrets.token_urlsafe(24))
        self._secret("redis_password", lambda: secrets.token_urlsafe(24))
        self._secret("s3_secret", lambda: secrets.token_urlsafe(30))
        ports = self.ports
        pg_password = (self.secrets / "postgres_password").read_text().strip()
        redis_password = (self.secrets / "redis_password").read_text().strip()
        for name, url in (
            ("database_url", f"postgres://secm:{pg_password}@127.0.0.1:{ports['postgres']}/secm"),
            ("redis_url", f"redis://:{redis_password}@127.0.0.1:{ports['redis']}/0"),
        ):
            (self.secrets / name).write_text(url, encoding="utf-8")
            (self.secrets / name).chmod(0o600)
        if not (self.secrets / "ca.pem").exists():
            self._make_pki()

    def _make_pki(self) -> None:
        """A private CA, the platform's signing certificate, the TSA's, and nginx's TLS certificate for 127.0.0.1."""
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec, rsa
        from cryptography.hazmat.primitives.serialization import pkcs12
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

        def name(common_name):
            return x509.Name(
                [
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "SECM eServices local rehearsal"),
                    x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                ]
            )

        now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)

        def certificate(subject, key, issuer, issuer_key, *, ca=False, eku=None, san=None, days=825):
            builder = (
                x509.CertificateBuilder()
                .subject_name(subject)
                .issuer_name(issuer)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now)
                .not_valid_after(now + datetime.timedelta(days=days))
                .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                .add_extension(
                    x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
                )
                .add_extension(
                    x509.KeyUsage(
                        digital_signature=not ca,
                        content_commitment=not ca and eku is None,
                        key_encipherment=False,
                        data_encipherment=False,
                        key_agreement=False,
                        key_cert_sign=ca,
                        crl_sign=ca,
                        encipher_only=False,
                        decipher_only=False,
                    ),
                    critical=True,
                )
            )
            if eku:
                builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
            if san:
                builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
            return builder.sign(issuer_key, hashes.SHA256())

        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = name("SECM eServices prod-local root CA")
        ca_cert = certificate(ca_name, ca_key, ca_name, ca_key, ca=True, days=3650)
        signer_key = ec.generate_private_key(ec.SECP256R1())
        signer_cert = certificate(name("SECM eServices platform (prod-local)"), signer_key, ca_name, ca_key)
        # RSA: pyHanko's timestamper (manage.py serve_tsa) signs with RSA only.
        tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        tsa_cert = certificate(
            name("SECM eServices prod-local TSA"), tsa_key, ca_name, ca_key, eku=[ExtendedKeyUsageOID.TIME_STAMPING]
        )
        tls_key = ec.generate_private_key(ec.SECP256R1())
        tls_cert = certificate(
            name("127.0.0.1"),
            tls_key,
            ca_name,
            ca_key,
            eku=[ExtendedKeyUsageOID.SERVER_AUTH],
            san=[x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")],
        )
        passphrase = (self.secrets / "pkcs12_passphrase").read_text().strip().encode()
        encryption = serialization.BestAvailableEncryption(passphrase)
        for filename, key, cert, label in (
            ("signer.p12", signer_key, signer_cert, b"platform"),
            ("tsa.p12", tsa_key, tsa_cert, b"tsa"),
        ):
            (self.secrets / filename).write_bytes(
                pkcs12.serialize_key_and_certificates(label, key, cert, [ca_cert], encryption)
            )
        (self.secrets / "tls.key").write_bytes(
            tls_key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        pem = serialization.Encoding.PEM
        (self.secrets / "tls.pem").write_bytes(tls_cert.public_bytes(pem) + ca_cert.public_bytes(pem))
        (self.secrets / "ca.pem").write_bytes(ca_cert.public_bytes(pem))
        for path in self.secrets.iterdir():
            path.chmod(0o600)

    def environment(self) -> dict[str, str]:
        """The production settings of this stack (secrets as ``NAME_FILE``), as written to ``secrets/env``."""
        ports, s = self.ports, self.secrets
        return {
            "SECM_PROFILE": "production",
            "SECM_LOCAL_REHEARSAL": "1",
            "SECM_DATA_DIR": str(self.data),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": self.site_url,
            "SECRET_KEY_FILE": str(s / "secret_key"),
            "NRN_HASH_KEY_FILE": str(s / "nrn_hash_key"),
            "NRN_ENCRYPTION_KEYS_FILE": str(s / "nrn_encryption_keys"),
            "AUDIT_SEAL_KEY_FILE": str(s / "audit_seal_key"),
            "DATABASE_URL_FILE": str(s / "database_url"),
            "REDIS_URL_FILE": str(s / "redis_url"),
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "STORAGE_BACKEND": "s3",
            "S3_BUCKET": BUCKET,
            "S3_ENDPOINT_URL": f"http://127.0.0.1:{ports['s3']}",
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": S3_ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY_FILE": str(s / "s3_secret"),
            "CLAMD_ADDRESS": f"unix:{self.data / 'clamd' / 'clamd.sock'}",
            "SIGNING_PKCS12_PATH": str(s / "signer.p12"),
            "SIGNING_PKCS12_PASSPHRASE_FILE": str(s / "pkcs12_passphrase"),
            "SIGNING_TSA_URL": f"http://127.0.0.1:{ports['tsa']}/tsa",
            "SIGNING_TSA_NAME": "SECM eServices prod-local TSA",
            "SIGNING_TRUST_ROOTS": str(s / "ca.pem"),
            "DEVIDP_PORT": str(ports["idp"]),
            "OIDC_ISSUER": f"http://127.0.0.1:{ports['idp']}",
            "OIDC_CLIENT_ID": "secm-eservices-prod-local",
            "OIDC_CLIENT_PRIVATE_KEY_FILE": str(self.data / "devidp" / "rp-key.json"),
            "GUNICORN_CMD_ARGS": "--workers 2 --threads 4",
        }

    def process_environment(self, **overrides: str) -> dict[str, str]:
        kept = {k: v for k, v in os.environ.items() if not k.startswith(("SECM_", "DATABASE_", "REDIS_", "S3_"))}
        return {**kept, **self.environment(), **overrides}

    def write_env_file(self) -> Path:
        path = self.secrets / "env"
        path.write_text(
            "".join(f"{key}={shlex.quote(value)}\n" for key, value in self.environment().items()), encoding="utf-8"
        )
        path.chmod(0o600)
        return path

    # --- processes ---------------------------------------------------------------------------------------------
    def pid_file(self, name: str) -> Path:
        return self.run_dir / f"{name}.pid"

    def pid(self, name: str) -> int | None:
        try:
            pid = int(self.pid_file(name).read_text())
        except (OSError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return pid
        return pid

    def spawn(self, name: str, command: list[str], *, env: dict[str, str] | None = None, user: str | None = None):
        """Start one process in its own session, its output in log/<name>.log, its pid in run/<name>.pid."""
        if self.pid(name):
            return
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child
        extra = {"user": user, "group": pwd.getpwnam(user).pw_gid, "extra_groups": []} if user else {}
        process = subprocess.Popen(  # noqa: S603 # nosec B603 - our own commands
            command,
            cwd=ROOT,
            env=env or self.process_environment(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            **extra,
        )
        log.close()
        self.pid_file(name).write_text(str(process.pid))

    def stop_service(self, name: str, *, kill: bool = False, timeout: float = 30) -> None:
        """End one process of the stack (its whole session: gunicorn's workers too), by its pid file."""
        pid = self.pid(name)
        if pid is None:
            self.pid_file(name).unlink(missing_ok=True)
            return
        with contextlib.suppress(ProcessLookupError):
            if kill:
                os.killpg(pid, signal.SIGKILL)
            elif name == "postgres":  # fast shutdown (SIGTERM waits for every client to leave)
                os.kill(pid, signal.SIGINT)
            else:
                os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._alive(pid):
            time.sleep(0.1)
        if self._alive(pid):
            os.killpg(pid, signal.SIGKILL)
            while self._alive(pid):
                time.sleep(0.1)
        self.pid_file(name).unlink(missing_ok=True)

    @staticmethod
    def _alive(pid: int) -> bool:
        try:
            waited, _status = os.waitpid(pid, os.WNOHANG)
            if waited == pid:
                return False
        except ChildProcessError:
            pass
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        try:  # a zombie (not our child) counts as gone
            return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
        except (OSError, IndexError):
            return True

    def manage(self, *arguments: str, env: dict[str, str] | None = None, quiet: bool = True) -> str:
        result = subprocess.run(  # noqa: S603 # nosec B603
            [PYTHON, str(ROOT / "manage.py"), *arguments],
            cwd=ROOT,
            env=env or self.process_environment(),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}")
        if not quiet:
            print(result.stdout, end="")
        return result.stdout

    # --- each service --------------------------------------------------------------------------------------
    def start_service(self, name: str) -> None:
        getattr(self, f"_start_{name.rstrip('12')}")(name)

    def _pg_user(self) -> str | None:
        return "postgres" if os.geteuid() == 0 else None  # initdb and postgres refuse to run as root

    def _start_postgres(self, name: str) -> None:
        pg = _postgres_bin()
        user = self._pg_user()
        port = self.ports["postgres"]
        if not (self.pgdata / "PG_VERSION").exists():
            self.pgdata.mkdir(parents=True, exist_ok=True)
            if self.pgdata.parent != self.folder:
                self.pgdata.parent.chmod(0o711)
            password = (self.secrets / "postgres_password").read_text().strip()
            pwfile = self.pgdata.parent / "pgpass.init"  # read by initdb as PostgreSQL's account
            pwfile.write_text(password + "\n")
            if user:
                account = pwd.getpwnam(user)
                os.chown(self.pgdata, account.pw_uid, account.pw_gid)
                os.chown(pwfile, account.pw_uid, account.pw_gid)
            pwfile.chmod(0o600)
            self.pgdata.chmod(0o700)
            try:
                subprocess.run(  # noqa: S603 # nosec B603
                    [
                        str(pg / "initdb"),
                        "-D",
                        str(self.pgdata),
                        "-U",
                        "secm",
                        "--auth=scram-sha-256",
                        f"--pwfile={pwfile}",
                        "-E",
                        "UTF8",
                        "--locale=C.UTF-8",
                    ],
                    check=True,
                    capture_output=True,
                    user=user,
                    group=pwd.getpwnam(user).pw_gid if user else None,
                    extra_groups=[] if user else None,
                )
            finally:
                pwfile.unlink(missing_ok=True)
        self.spawn(
            name,
            [
                str(pg / "postgres"),
                "-D",
                str(self.pgdata),
                "-p",
                str(port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "unix_socket_directories=",
                "-c",
                "max_connections=100",
                "-c",
                "fsync=on",
            ],
            user=user,
        )
        wait_until(lambda: answers(port), 30, "PostgreSQL")
        env = {**os.environ, "PGPASSWORD": (self.secrets / "postgres_password").read_text().strip()}
        psql = [str(pg / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "secm", "-d", "postgres", "-tAc"]
        for _ in range(50):
            probe = subprocess.run([*psql, "SELECT 1"], env=env, capture_output=True, text=True)  # noqa: S603
            if probe.returncode == 0:
                break
            time.sleep(0.2)
        exists = subprocess.run(  # noqa: S603 # nosec B603
            [*psql, "SELECT 1 FROM pg_database WHERE datname='secm'"], env=env, capture_output=True, text=True
        ).stdout.strip()
        if exists != "1":
            subprocess.run([*psql, "CREATE DATABASE secm"], env=env, check=True, capture_output=True)  # noqa: S603

    def _start_redis(self, name: str) -> None:
        folder = self.folder / "redis"
        folder.mkdir(exist_ok=True)
        password = (self.secrets / "redis_password").read_text().strip()
        self.spawn(
            name,
            [
                _binary("redis-server"),
                str(ROOT / "deploy" / "redis.conf"),
                "--port",
                str(self.ports["redis"]),
                "--dir",
                str(folder),
                "--daemonize",
                "no",
                "--requirepass",
                password,
            ],
        )
        wait_until(lambda: answers(self.ports["redis"]), 20, "Redis")

    def _start_s3(self, name: str) -> None:
        port = self.ports["s3"]
        self.spawn(name, [PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)])
        wait_until(lambda: answers(port), 30, "the S3 server (moto)")
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{port}",
            region_name="us-east-1",
            aws_access_key_id=S3_ACCESS_KEY,
            aws_secret_access_key=(self.secrets / "s3_secret").read_text().strip(),
        )
        # moto keeps its objects in memory: after a restart of this server the bucket is made again, empty.
        if BUCKET not in [bucket["Name"] for bucket in client.list_buckets().get("Buckets", [])]:
            client.create_bucket(Bucket=BUCKET)

    def _start_tsa(self, name: str) -> None:
        self.spawn(
            name,
            [
                PYTHON,
                str(ROOT / "manage.py"),
                "serve_tsa",
                "--port",
                str(self.ports["tsa"]),
                "--pkcs12",
                str(self.secrets / "tsa.p12"),
                "--passphrase-file",
                str(self.secrets / "pkcs12_passphrase"),
            ],
        )
        wait_until(lambda: answers(self.ports["tsa"]), 60, "the TSA")

    def _start_idp(self, name: str) -> None:
        config = self.data / "devidp" / "config.json"
        self.spawn(name, [_binary("node"), str(ROOT / "devidp" / "server.js"), str(config)])
        wait_until(lambda: answers(self.ports["idp"]), 30, "the identity provider")

    @property
    def clamd_socket(self) -> Path:
        return self.data / "clamd" / "clamd.sock"

    def _start_clamd(self, name: str) -> None:
        _binary("clamd")
        self.clamd_socket.unlink(missing_ok=True)
        self.spawn(name, [PYTHON, str(ROOT / "manage.py"), "demo_clamd"])  # execs clamd: the pid is clamd's
        wait_until(self.clamd_socket.exists, 120, "clamd")

    def procfile(self) -> dict[str, str]:
        lines = (self.config / "Procfile").read_text().splitlines()
        return dict(line.split(": ", 1) for line in lines if ": " in line)

    def _start_web(self, name: str) -> None:
        self.spawn(name, self.procfile()[name].split())
        wait_until(lambda: answers(self.ports[name]), 60, f"gunicorn {name}")

    def _start_worker(self, name: str) -> None:
        self._spawn_restarting(name)

    def _start_scheduler(self, name: str) -> None:
        self._spawn_restarting(name)

    def _spawn_restarting(self, name: str) -> None:
        """As systemd's Restart=always: db_worker exits when it loses the database, and comes back 2 s later."""
        command = " ".join(shlex.quote(part) for part in self.procfile()[name].split())
        self.spawn(name, ["/bin/sh", "-c", f"while :; do {command}; sleep 2; done"])

    def _start_nginx(self, name: str) -> None:
        user = "user root;\n" if os.geteuid() == 0 else ""
        (self.config / "main.conf").write_text(
            f"{user}pid {self.run_dir}/nginx.master.pid;\nerror_log {self.log_dir}/nginx-error.log;\n"
            f"events {{}}\nhttp {{\n  include /etc/nginx/mime.types;\n"
            f"  access_log {self.log_dir}/nginx-access.log;\n  include {self.config}/nginx.conf;\n}}\n"
        )
        nginx = _binary("nginx")
        command = [
            nginx,
            "-p",
            str(self.config),
            "-c",
            str(self.config / "main.conf"),
            "-e",
            str(self.log_dir / "nginx-error.log"),
        ]
        subprocess.run([*command, "-t", "-q"], check=True, capture_output=True)  # noqa: S603 # nosec B603
        self.spawn(name, [*command, "-g", "daemon off;"])
        wait_until(lambda: answers(self.ports["https"]), 20, "nginx")

    # --- the whole stack ------------------------------------------------------------------------------------
    def prepare(self) -> None:
        """Secrets, the rendered deploy files, the database schema, static files and the demo's people."""
        self.make_secrets()
        self.write_env_file()
        if True:  # written again each time: the ports may have changed
            # The identity provider's configuration (this stack's client and its own key pair, the demo's people),
            # written by the development profile's command; the portal itself stays in production.
            env = self.process_environment(SECM_PROFILE="development")
            env.pop("OIDC_CLIENT_PRIVATE_KEY_FILE")
            self.manage("devidp_config", env=env)
        self.manage(
            "render_deploy",
            "--out",
            str(self.config),
            "--web-ports",
            f"{self.ports['web1']},{self.ports['web2']}",
            "--server-name",
            "127.0.0.1 localhost",
            "--http-listen",
            f"127.0.0.1:{self.ports['http']}",
            "--https-listen",
            f"127.0.0.1:{self.ports['https']}",
            "--tls-certificate",
            str(self.secrets / "tls.pem"),
            "--tls-certificate-key",
            str(self.secrets / "tls.key"),
            "--env-file",
            str(self.secrets / "env"),
            "--user",
            pwd.getpwuid(os.getuid()).pw_name,
            "--skip",
            "clamd,freshclam",
        )

    def migrate(self) -> None:
        self.manage("migrate", "--no-input")
        self.manage("collectstatic", "--no-input")
        marker = self.folder / "demo-loaded"
        if not marker.exists():
            # The demo's units, staff and citizens, so that the identity provider's people can log in: loaded by
            # the development profile's command with this stack's keys, database and storage.
            self.manage("load_demo", env=self.process_environment(SECM_PROFILE="development"))
            marker.write_text("yes\n")

    def start(self, *, quiet: bool = False) -> None:
        say = (lambda *_: None) if quiet else (lambda text: print(f"  {text}", flush=True))
        say(f"prod-local in {self.folder}")
        self.prepare()
        for name in SERVICES:
            if name == "web1":
                say("migrate, collectstatic, demo people")
                self.migrate()
            say(f"starting {name}")
            self.start_service(name)
        if not quiet:
            self.banner()

    def stop(self) -> list[str]:
        stopped = []
        for name in reversed(SERVICES):
            if self.pid(name):
                self.stop_service(name)
                stopped.append(name)
            self.pid_file(name).unlink(missing_ok=True)
        return stopped

    def status(self) -> dict[str, int | None]:
        return {name: self.pid(name) for name in SERVICES}

    def banner(self) -> None:
        ports = self.ports
        print(
            f"""
  SECM eServices, production profile, on 127.0.0.1 (make prod-local-stop ends it):
    portal           {self.site_url}/fr/   (nginx -> gunicorn :{ports["web1"]} and :{ports["web2"]})
    TLS              trust {self.secrets / "ca.pem"} in the browser (or accept the warning), e.g.
                     curl --cacert {self.secrets / "ca.pem"} {self.site_url}/readyz
    log in           'Se connecter', then pick a person at the identity provider http://127.0.0.1:{ports["idp"]}/
                     (staff: agent.secm, chef.secm, fd.secm ...; citizens: dr.dubois, dr.peeters ...)
    documents        S3 (moto) http://127.0.0.1:{ports["s3"]}/{BUCKET}  (in memory: lost when it stops)
    TSA              http://127.0.0.1:{ports["tsa"]}/tsa        antivirus: clamd {self.clamd_socket}
    PostgreSQL       127.0.0.1:{ports["postgres"]} (secrets/database_url)   Redis 127.0.0.1:{ports["redis"]}
    mails            {self.data / "mail"}
    logs, pids       {self.log_dir}, {self.run_dir}
    manage.py        set -a; . {self.secrets / "env"}; set +a; .venv/bin/python manage.py ops_status
"""
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("start", "stop", "status", "env"))
    parser.add_argument("--folder", default=os.environ.get("PROD_LOCAL_DIR", str(ROOT / "var" / "prod-local")))
    options = parser.parse_args(argv)
    stack = ProdLocal(options.folder)
    if options.action == "start":
        try:
            stack.start()
        except Exception as error:  # noqa: BLE001 - whatever failed, end what was started and say why
            print(f"\n  prod-local failed: {error}\n  stopping what was started; logs in {stack.log_dir}")
            stack.stop()
            return 1
    elif options.action == "stop":
        stopped = stack.stop()
        print("  stopped: " + (", ".join(stopped) if stopped else "nothing was running"))
    elif options.action == "env":
        print(stack.write_env_file())
    else:
        for name, pid in stack.status().items():
            print(f"  {name:<10} {'running, pid ' + str(pid) if pid else 'stopped'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
