"""Slow clients against a running server: do health checks still answer?

    .venv/bin/python benchmarks/slow_clients.py --port 8000              # 50 slow clients, 6 checks in 60 s
    .venv/bin/python benchmarks/slow_clients.py --port 8000 --connections 16

Opens CONNECTIONS connections that each send a request's first line and then its headers one
byte every DRIP seconds, never finishing them (the "slowloris" pattern); a connection the server
closes is opened again, as an attacker would. Meanwhile it sends CHECKS `GET /healthz` requests,
one every INTERVAL seconds, each waiting at most CHECK_TIMEOUT seconds, and prints how many were
answered and how fast. `--json` prints the same as one JSON object (the tests read it).

Only loopback addresses are accepted: it is a test of a server on this machine. It stops by itself.
"""

import argparse
import http.client
import ipaddress
import json
import socket
import threading
import time


def open_slow_connection(host: str, port: int) -> socket.socket | None:
    """A connection that has sent a request line and one header, and will dribble out the rest."""
    try:
        connection = socket.create_connection((host, port), timeout=5)
        connection.sendall(f"GET /healthz HTTP/1.1\r\nHost: {host}\r\n".encode())
        connection.setblocking(False)
        return connection
    except OSError:
        return None


def drip(host: str, port: int, connections: list, stop: threading.Event, every: float, counts: dict) -> None:
    """Send one more header byte on each connection every `every` seconds; reopen closed ones."""
    while not stop.wait(every):
        for index, connection in enumerate(connections):
            try:
                if connection is None:
                    raise OSError("not connected")
                # A server that gave up on us has closed the socket or answered (408, 400).
                try:
                    if connection.recv(4096) == b"":
                        raise OSError("closed by the server")
                    raise OSError("answered by the server")
                except BlockingIOError:
                    pass
                connection.send(b"X")
            except OSError:
                if connection is not None:
                    connection.close()
                    counts["dropped"] += 1
                connections[index] = open_slow_connection(host, port)


def health_check(host: str, port: int, timeout: float) -> float | None:
    """Seconds `GET /healthz` took to answer 200, or None if it did not within `timeout`."""
    started = time.monotonic()
    try:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        connection.request("GET", "/healthz")
        status = connection.getresponse().status
        connection.close()
    except (OSError, http.client.HTTPException):
        return None
    elapsed = time.monotonic() - started
    return elapsed if status == 200 and elapsed <= timeout else None


def run(
    *, host: str, port: int, connections: int, checks: int, interval: float, check_timeout: float, drip_every: float
):
    """Hold `connections` slow connections while health checks run; a summary dict."""
    if not ipaddress.ip_address(socket.gethostbyname(host)).is_loopback:
        raise SystemExit(f"{host} is not a loopback address: this test only targets a server on this machine")
    slow = []
    for _ in range(connections):
        # One after another, as clients arrive: a burst would all be taken by the first process to wake.
        slow.append(open_slow_connection(host, port))
        time.sleep(0.05)
    opened = sum(connection is not None for connection in slow)
    stop = threading.Event()
    counts = {"dropped": 0}
    dripper = threading.Thread(target=drip, args=(host, port, slow, stop, drip_every, counts), daemon=True)
    dripper.start()
    results: list[float | None] = [None] * checks

    def check(index: int) -> None:
        results[index] = health_check(host, port, check_timeout)

    checkers = []
    for index in range(checks):
        if index:
            time.sleep(interval)
        checker = threading.Thread(target=check, args=(index,), daemon=True)
        checker.start()
        checkers.append(checker)
    for checker in checkers:
        checker.join(check_timeout + 1)
    stop.set()
    dripper.join(drip_every + 10)
    for connection in slow:
        if connection is not None:
            connection.close()
    answered = [round(seconds, 3) for seconds in results if seconds is not None]
    return {
        "slow_connections": connections,
        "opened": opened,
        "dropped_by_server": counts["dropped"],
        "checks": checks,
        "answered": len(answered),
        "seconds": answered,
        "check_timeout": check_timeout,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--checks", type=int, default=6)
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between health checks")
    parser.add_argument("--check-timeout", type=float, default=10.0, help="seconds a health check may take")
    parser.add_argument("--drip", type=float, default=3.0, help="seconds between two bytes of a slow client")
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    options = parser.parse_args()
    summary = run(
        host=options.host,
        port=options.port,
        connections=options.connections,
        checks=options.checks,
        interval=options.interval,
        check_timeout=options.check_timeout,
        drip_every=options.drip,
    )
    if options.json:
        print(json.dumps(summary))
        return
    window = options.interval * (options.checks - 1) + options.check_timeout
    print(
        f"{summary['opened']} of {options.connections} slow connections opened; "
        f"{summary['dropped_by_server']} were cut off by the server and reopened."
    )
    print(
        f"/healthz answered {summary['answered']} of {options.checks} checks "
        f"(one every {options.interval:g} s, each waiting up to {options.check_timeout:g} s, {window:g} s in all)"
        + (f": {', '.join(f'{s:.2f} s' for s in summary['seconds'])}" if summary["seconds"] else ".")
    )


if __name__ == "__main__":
    main()
