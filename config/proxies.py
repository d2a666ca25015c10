"""The proxies allowed to speak for a client: TRUSTED_PROXIES, read by the app and by gunicorn.

A proxy in front of the app adds the address it saw to X-Forwarded-For and says in
X-Forwarded-Proto whether the client came over TLS. Anyone can send those headers, so they are
believed only from a peer listed in TRUSTED_PROXIES (comma-separated addresses or networks; by
default the loopback addresses, where the proxy of docs/deployment.md runs). gunicorn takes the
same list as its `forwarded_allow_ips` (config/gunicorn.conf.py), so the two never disagree.
"""

import ipaddress
from collections.abc import Sequence
from functools import lru_cache

from django.core.exceptions import ImproperlyConfigured

from config.env import env_list

DEFAULT_TRUSTED_PROXIES = ["127.0.0.1", "::1"]


def trusted_proxies_from_environment() -> list[str]:
    """TRUSTED_PROXIES as a list, refused with one message naming every entry that is no address
    or network (host bits set, as in 10.1.4.4/16, count as a mistake, as they do for gunicorn)."""
    proxies = env_list("TRUSTED_PROXIES", DEFAULT_TRUSTED_PROXIES)
    wrong = []
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy)
        except ValueError:
            wrong.append(proxy)
    if wrong:
        raise ImproperlyConfigured(
            "TRUSTED_PROXIES must be IP addresses or networks, comma-separated (e.g. 127.0.0.1,10.0.0.0/8); "
            f"got {', '.join(map(repr, wrong))}."
        )
    return proxies


@lru_cache(maxsize=16)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy) for proxy in proxies)


def _address(text: str):
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d; compare it as IPv4.
    return address.ipv4_mapped or address if address.version == 6 else address


def is_trusted(address: str, proxies: Sequence[str]) -> bool:
    parsed = _address(address)
    return parsed is not None and any(parsed in network for network in _networks(tuple(proxies)))


def client_address(remote_addr: str, forwarded_for: str, proxies: Sequence[str]) -> str:
    """The address of the client: REMOTE_ADDR, unless that is a trusted proxy; then X-Forwarded-For
    is walked from the right (each proxy appends the address it saw) past the trusted proxies to
    the first address that is not one. Entries left of it are the client's to invent and never
    count; an entry that is no address ends the walk at the last proxy that vouched for it."""
    client = remote_addr
    if not is_trusted(client, proxies):
        return client
    for entry in reversed(forwarded_for.split(",")):
        entry = entry.strip()
        if _address(entry) is None:
            break
        client = entry
        if not is_trusted(entry, proxies):
            break
    return client
