"""Suite-wide guards: no test, and no process a test starts, leaves loopback.

The cloud SDKs look for ambient credentials on their own: boto3 and
google-auth ask the instance metadata service (169.254.169.254), the Azure
identity library probes managed identity. Tests that start extraction jobs
without a fake cloud (the API's job and permission tests) would send that
traffic. The environment set here switches those probes off for this process
and every subprocess it starts, and the fixture below refuses, in this
process, any connection or name lookup beyond 127.0.0.1/::1.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.update(
    AWS_EC2_METADATA_DISABLED="true",
    NO_GCE_CHECK="true",
    GCE_METADATA_HOST="127.0.0.1:9",
    GCE_METADATA_IP="127.0.0.1:9",
    # Managed identity probing goes to a closed loopback port instead of IMDS.
    AZURE_POD_IDENTITY_AUTHORITY_HOST="http://127.0.0.1:9",
)
for _proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
    os.environ.pop(_proxy, None)

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "127.0.0.1", "::1", ""}


def is_loopback(host: Any) -> bool:
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return str(host) in _LOCAL_NAMES


@pytest.fixture(scope="session", autouse=True)
def loopback_only() -> Iterator[None]:
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> Any:
        inet = self.family in (socket.AF_INET, socket.AF_INET6)
        if inet and not is_loopback(address[0]):
            raise ConnectionRefusedError(f"test blocked a connection to {address}")
        return real_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not is_loopback(host):
            raise socket.gaierror(f"test blocked a lookup of {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", connect)
        patch.setattr(socket, "getaddrinfo", getaddrinfo)
        yield
