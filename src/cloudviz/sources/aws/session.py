"""Accounts to read: one boto3 Session each, clients per (service, region).

Credentials come from boto3's standard chain (environment, shared config and
profiles, SSO, container and instance roles); `--profile` names profiles and
`--role-arn` roles to assume with STS, one account each. Every API call any
client makes is counted by a botocore `before-call` hook.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ProfileNotFound

from cloudviz.config import AwsSettings
from cloudviz.errors import ProviderError
from cloudviz.sources.aws.failures import credentials_failure

DEFAULT_REGION = "us-east-1"
ROLE_SESSION_NAME = "cloudviz-discovery"


class CallCounter:
    """Counts API calls by `service.Operation`, from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.by_operation: Counter[str] = Counter()

    def on_call(self, model: Any, **_: Any) -> None:
        key = f"{model.service_model.service_name}.{model.name}"
        with self._lock:
            self.by_operation[key] += 1

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self.by_operation.values())

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(sorted(self.by_operation.items()))


def client_config(settings: AwsSettings) -> Config:
    return Config(
        retries={"mode": "adaptive", "total_max_attempts": settings.max_attempts},
        # A client can serve a task thread and every item-pool thread at once.
        max_pool_connections=max(10, 2 * settings.max_workers),
        connect_timeout=10,
        read_timeout=60,
        user_agent_extra="cloudviz",
    )


@dataclass
class AwsAccount:
    """One account reached through one boto3 Session (after `identify`)."""

    session: boto3.Session
    label: str
    config: Config
    counter: CallCounter
    role_arn: str | None = None
    account_id: str = ""
    identity_arn: str = ""
    _clients: dict[tuple[str, str], Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.session.events.register("before-call", self.counter.on_call)

    @property
    def home_region(self) -> str:
        return self.session.region_name or DEFAULT_REGION

    def client(self, service: str, region: str | None = None) -> Any:
        """A client for one service and region, created once, shareable by threads.

        Creating clients from one Session is not thread-safe; using them is.
        """
        key = (service, region or self.home_region)
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = self.session.client(
                    service,  # type: ignore[call-overload]
                    region_name=key[1],
                    config=self.config,
                )
                self._clients[key] = client
            return client

    def identify(self) -> None:
        """Assume the role if any, then ask STS who we are.

        Raises a CV004 ProviderError when the credentials cannot be used.
        """
        try:
            if self.role_arn:
                self._assume_role(self.role_arn)
            identity = self.client("sts").get_caller_identity()
        except (BotoCoreError, ClientError) as error:
            raise credentials_failure(error, self.label) from None
        self.account_id = identity["Account"]
        self.identity_arn = identity["Arn"]

    def _assume_role(self, role_arn: str) -> None:
        response = self.client("sts").assume_role(
            RoleArn=role_arn, RoleSessionName=ROLE_SESSION_NAME, DurationSeconds=3600
        )
        credentials = response["Credentials"]
        self.session = boto3.Session(
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
            region_name=self.home_region,
        )
        self.session.events.register("before-call", self.counter.on_call)
        with self._lock:
            self._clients.clear()


def _session(profile: str | None) -> boto3.Session:
    try:
        return boto3.Session(profile_name=profile)
    except ProfileNotFound:
        raise ProviderError(
            f"ProfileNotFound: no AWS profile named {profile!r}",
            hint="list the profiles with `aws configure list-profiles`, or create "
            f"it with `aws configure --profile {profile}`",
        ) from None


def open_accounts(
    profiles: tuple[str, ...],
    role_arns: tuple[str, ...],
    settings: AwsSettings,
    counter: CallCounter,
) -> list[AwsAccount]:
    """The accounts a request names, not yet identified.

    Each profile is one account; each role is one account, assumed from the
    first profile (or the default chain). With neither, the default chain is
    the one account. Settings supply profiles and roles the request leaves out.
    """
    config = client_config(settings)
    profiles = profiles or tuple(settings.profiles)
    role_arns = role_arns or tuple(settings.role_arns)
    accounts = [
        AwsAccount(_session(name), f"profile {name}", config, counter)
        for name in profiles
    ]
    for role_arn in role_arns:
        base = _session(profiles[0] if profiles else None)
        accounts.append(
            AwsAccount(base, f"role {role_arn}", config, counter, role_arn=role_arn)
        )
    if not accounts:
        accounts.append(
            AwsAccount(_session(None), "the default chain", config, counter)
        )
    return accounts
