"""One moto server and one two-region estate for the AWS collector tests.

moto's backends are process-wide, so the estate is built once per test
process and the tests read it without changing it (the AccessDenied test adds
a user and restores moto's auth switch when done).
"""

import socket

import pytest

from tests.sources.aws.moto_estate import (
    build_estate,
    isolated_environment,
    moto_server,
)

REGIONS = ["us-east-1", "eu-west-1"]


@pytest.fixture(scope="session")
def moto_url():
    with moto_server() as url:
        yield url


@pytest.fixture(scope="session")
def aws_env(moto_url, tmp_path_factory):
    env = isolated_environment(moto_url, str(tmp_path_factory.mktemp("aws")))
    with pytest.MonkeyPatch.context() as patch:
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ROLE_ARN"):
            patch.delenv(name, raising=False)
        for name, value in env.items():
            patch.setenv(name, value)
        yield env


@pytest.fixture(scope="session")
def estate(aws_env, moto_url):
    return build_estate(moto_url, REGIONS)


@pytest.fixture(scope="session", autouse=True)
def loopback_only():
    """Refuse any connection this process tries to open beyond 127.0.0.1/::1."""
    original = socket.socket.connect

    def connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise ConnectionRefusedError(f"test tried to reach {address!r}")
        return original(self, address)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", connect)
        yield
