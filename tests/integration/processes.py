"""Real services for the integration tests and the benchmark: a private redis-server, Celery
worker processes, and a tiny scripted SMTP server. Every wait is bounded; every process is
killed (its whole process group) when the test ends, whatever happened."""

import os
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.parser import BytesParser
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, *, timeout: float, interval: float = 0.05, what: str = "condition"):
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"Timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def _kill_group(process: subprocess.Popen, sig=signal.SIGKILL) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


class RedisServer:
    """A redis-server of our own on a free port, without persistence, that a test may stop and restart."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--maxmemory-policy",
                "noeviction",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until(self.ping, timeout=10, what=f"redis-server on port {self.port}")
        return self

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            _kill_group(self.process)
            self.process = None


class Worker:
    """`python -m celery -A careerpath worker` in its own process group, logging to a file."""

    count = 0

    def __init__(self, *, env: dict, logdir: Path, concurrency: int = 2):
        Worker.count += 1
        self.name = f"itest{Worker.count}"
        self.env = env
        self.concurrency = concurrency
        self.log_path = logdir / f"{self.name}.log"
        self.process: subprocess.Popen | None = None

    def start(self, *, timeout: float = 60) -> "Worker":
        self.log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "careerpath",
                "worker",
                "--loglevel",
                "INFO",
                "--pool",
                "prefork",
                "--concurrency",
                str(self.concurrency),
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--hostname",
                f"{self.name}@%h",
            ],
            cwd=REPO,
            env={**os.environ, **self.env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(
            lambda: self.process.poll() is not None or b" ready." in self.log_path.read_bytes(),
            timeout=timeout,
            interval=0.2,
            what=f"worker {self.name} to be ready",
        )
        if self.process.poll() is not None:
            raise RuntimeError(f"worker {self.name} exited:\n{self.output()[-4000:]}")
        return self

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once, as a crash or the OOM killer would."""
        if self.process is not None:
            _kill_group(self.process, signal.SIGKILL)
            self.process = None
            self.log.close()

    def kill_main(self, *, timeout: float = 10) -> None:
        """SIGKILL only the worker's main process, as the OOM killer picks one; its pool processes
        are killed by the kernel as it dies (Celery sets their parent-death signal to SIGKILL).
        Returns once they are all gone."""
        if self.process is None:
            return
        pool = [pid for pid in self.pids() if pid != self.process.pid]
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=timeout)
        wait_until(lambda: not any(_alive(pid) for pid in pool), timeout=timeout, what="the pool processes to die")
        self.process = None
        self.log.close()

    def stop(self) -> None:
        if self.process is not None:
            _kill_group(self.process, signal.SIGTERM)
            self.process = None
            self.log.close()

    def pids(self) -> list[int]:
        """The worker's main process and its pool children."""
        if self.process is None:
            return []
        found = [self.process.pid]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == self.process.pid:
                    found.append(int(entry.name))
        return found


def _alive(pid: int) -> bool:
    """Whether the process exists and is not a zombie (a dead child not yet reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class Beat:
    """`python -m celery -A careerpath beat`, with its schedule file in `workdir`, in its own process group."""

    def __init__(self, *, env: dict, workdir: Path):
        self.env = env
        self.log_path = workdir / "beat.log"
        self.schedule = workdir / "beat-schedule"
        self.process: subprocess.Popen | None = None

    def start(self) -> "Beat":
        self.log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "careerpath", "beat"),
                *("--loglevel", "INFO", "--schedule", str(self.schedule)),
            ],
            cwd=REPO,
            env={**os.environ, **self.env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def stop(self) -> None:
        if self.process is not None:
            _kill_group(self.process, signal.SIGKILL)
            self.process = None
            self.log.close()


def peak_memory_kib(pid: int) -> int:
    """The process's peak resident set size (VmHWM), in KiB; 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def database_url(db_settings: dict) -> str:
    user = db_settings.get("USER") or "postgres"
    password = db_settings.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else f"{user}@"
    host = db_settings.get("HOST") or "127.0.0.1"
    port = db_settings.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{db_settings['NAME']}"


def broker_app(url: str):
    """A bare Celery app that only publishes to `url`, so the test process never runs tasks itself."""
    from celery import Celery

    app = Celery("integration-probe", broker=url, set_as_current=False)
    app.conf.broker_connection_retry_on_startup = True
    return app


def local_morning_zone(now: datetime | None = None) -> tuple[str, datetime]:
    """A fixed-offset zone where it is now between 10:00 and 11:00 (inside the 09:00 send window),
    and the local date there, so tests can run at any hour of the day."""
    now = now or datetime.now(UTC)
    offset = (10 - now.hour) % 24
    if offset > 14:
        offset -= 24
    # POSIX-style names: Etc/GMT-7 is UTC+7.
    name = "Etc/GMT" + (f"-{offset}" if offset > 0 else f"+{-offset}" if offset < 0 else "")
    return name, now + timedelta(hours=offset)


# --- A scripted SMTP server -------------------------------------------------------------------


@dataclass(frozen=True)
class Accepted:
    """A message the server accepted: its reminder and Message-ID headers, and when (time.monotonic())."""

    recipient: str
    reminder: str
    message_id: str
    at: float


class FakeSMTP:
    """A minimal SMTP server on localhost that answers each recipient as scripted.

    `script[address]` is a list of reply codes for RCPT TO, used one per delivery attempt;
    when it runs out (or the address has none) the answer is 250. Accepted messages are kept
    in `received` as (recipient, bytes) and in `accepted` (see Accepted), recorded the moment
    the server takes the message, before its 250 goes out. `delay` seconds pass before that, as
    with a remote server. A client that dies before sending the whole message delivers nothing.
    """

    def __init__(self, script: dict[str, list[int]], *, delay: float = 0.0):
        self.script = {addr.lower(): list(codes) for addr, codes in script.items()}
        self.delay = delay
        self.received: list[tuple[str, bytes]] = []
        self.accepted: list[Accepted] = []
        self.attempts: dict[str, int] = {}
        self.lock = threading.Lock()
        fake = self

        class Handler(socketserver.StreamRequestHandler):
            timeout = 10

            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")
                self.wfile.flush()

            def handle(self):
                self.reply("220 fake.smtp.local ESMTP ready")
                recipients: list[str] = []
                while True:
                    raw = self.rfile.readline()
                    if not raw:
                        return
                    command = raw.decode(errors="replace").strip()
                    verb = command[:4].upper()
                    if verb in ("EHLO", "HELO"):
                        self.reply("250 fake.smtp.local")
                    elif verb == "MAIL":
                        recipients = []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        address = command.split(":", 1)[1].strip().strip("<>").lower()
                        with fake.lock:
                            fake.attempts[address] = fake.attempts.get(address, 0) + 1
                            codes = fake.script.get(address) or []
                            code = codes.pop(0) if codes else 250
                        if code == 250:
                            recipients.append(address)
                            self.reply("250 OK")
                        elif code == 421:
                            self.reply("421 4.3.2 Service not available, closing channel")
                            return
                        else:
                            self.reply(f"{code} {'4.2.1 Try again later' if code < 500 else '5.1.1 No such user'}")
                    elif verb == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        lines = []
                        while True:
                            line = self.rfile.readline()
                            if not line:
                                return  # the client died mid-message: nothing was delivered
                            if line in (b".\r\n", b".\n"):
                                break
                            lines.append(line)
                        if fake.delay:
                            time.sleep(fake.delay)
                        data = b"".join(lines)
                        headers = BytesParser().parsebytes(data, headersonly=True)
                        with fake.lock:
                            for address in recipients:
                                fake.received.append((address, data))
                                fake.accepted.append(
                                    Accepted(
                                        address,
                                        str(headers.get("X-Careerpath-Reminder", "")),
                                        str(headers.get("Message-ID", "")),
                                        time.monotonic(),
                                    )
                                )
                        self.reply("250 OK queued")
                    elif verb == "RSET":
                        recipients = []
                        self.reply("250 OK")
                    elif verb == "NOOP":
                        self.reply("250 OK")
                    elif verb == "QUIT":
                        self.reply("221 Bye")
                        return
                    else:
                        self.reply("502 Command not implemented")

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    def __enter__(self) -> "FakeSMTP":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
