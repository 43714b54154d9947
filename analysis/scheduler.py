"""The Dask scheduler a run is sent to: its address checked at once, its answer awaited a bounded time.

Kept apart from :mod:`analysis.engine` so that the command line can check
``--scheduler`` before the analysis (and without importing it).
"""
from __future__ import annotations

import re
import socket
import time
from typing import Optional

from analysis.errors import EnvironmentFault, UsageError

# How long to wait for a Dask scheduler to answer (``--scheduler-timeout``); Dask's own default is 30 s.
SCHEDULER_TIMEOUT = 5.0
# Address schemes of a scheduler reached over TCP (what ``dask scheduler`` listens on).
SCHEDULER_SCHEMES = ("tcp", "tls", "ws", "wss")
_ADDRESS = re.compile(r"(?:(?P<scheme>[a-z]+)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(?P<port>[0-9]{1,5})/?")


def scheduler_host_port(address: str) -> tuple[str, int]:
    """``(host, port)`` of a Dask scheduler address such as ``tcp://10.0.0.5:8786`` or ``10.0.0.5:8786``.

    Raises :class:`UsageError` at once for anything else, before any connection is tried.
    """
    m = _ADDRESS.fullmatch(address.strip())
    scheme = m and (m["scheme"] or "tcp")
    if not m or scheme not in SCHEDULER_SCHEMES or not 0 < int(m["port"]) < 65536:
        raise UsageError(f"--scheduler {address!r} is not a Dask scheduler address; give tcp://HOST:PORT "
                         f"(e.g. tcp://10.0.0.5:8786, as `dask scheduler` prints it)")
    return m["host"].strip("[]"), int(m["port"])


def check_scheduler(address: str, timeout: float = SCHEDULER_TIMEOUT) -> None:
    """Raise :class:`EnvironmentFault` unless a Dask scheduler answers at ``address`` within ``timeout`` s.

    A refused connection is tried again until then (the scheduler may be starting). Over plain TCP a
    scheduler speaks first, so a service that accepts but stays silent is refused too: Dask's client
    would wait for it without end.
    """
    host, port = scheduler_host_port(address)
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=max(0.1, deadline - time.monotonic())) as conn:
                if not address.startswith(("tls:", "ws")):
                    conn.settimeout(max(0.1, deadline - time.monotonic()))
                    if not conn.recv(1):
                        raise ConnectionResetError(0, "it closed the connection")
            return
        except socket.timeout:
            raise EnvironmentFault(_unreachable(address, timeout, "no answer")) from None
        except OSError as err:
            if time.monotonic() >= deadline - 0.1:
                raise EnvironmentFault(_unreachable(address, timeout, err.strerror or str(err))) from None
            time.sleep(0.1)


def connect(scheduler: Optional[str]):
    """A dask.distributed client of ``scheduler`` (None: a cluster in this process).

    Waits as long as Dask's ``distributed.comm.timeouts.connect`` says (the command line sets it from
    ``--scheduler-timeout``); a scheduler that does not answer by then is an :class:`EnvironmentFault`.
    """
    from distributed import Client
    if not scheduler:
        return Client(processes=False)
    try:
        return Client(scheduler)
    except (OSError, TimeoutError) as err:  # Dask raises both for "not there" and "not answering"
        import dask
        timeout = dask.config.get("distributed.comm.timeouts.connect")
        raise EnvironmentFault(_unreachable(scheduler, timeout, str(err))) from None


def _unreachable(address: str, timeout, reason: str) -> str:
    seconds = timeout if isinstance(timeout, str) else f"{timeout:g} s"
    return (f"Dask scheduler {address} did not answer within {seconds} ({reason}); start it with "
            f"`dask scheduler`, check --scheduler, or allow longer with --scheduler-timeout")
