"""The one place where botocore failures become CloudViz errors.

Every `get_` function of a service module is decorated with `reads(...)`,
naming the IAM actions it needs. The decorator

- registers those actions, so the least-privilege policy is derived from the
  code (`cloudviz.sources.aws.permissions`);
- turns the cloud's known, local failures (AccessDenied on one service, an
  opt-in region, a service missing from a region, throttling that outlasted
  the retries) into a CV004 entry of the inventory's `errors`, naming the IAM
  action to grant, and lets discovery go on with what it could read.

Anything else, a bug in a transform included, is not swallowed.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar, cast

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)

from cloudviz.errors import ProviderError

if TYPE_CHECKING:
    from cloudviz.sources.aws.scope import Scope

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

POLICY_DOC = "docs/permissions/aws.md"
REQUIRED_ACTIONS: set[str] = set()

ACCESS_DENIED = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "AuthorizationError",
        "AuthorizationErrorException",
        "Forbidden",
    }
)
OPT_IN = frozenset({"OptInRequired", "InvalidClientTokenId", "AuthFailure"})
THROTTLED = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "SlowDown",
        "RequestThrottled",
        "RequestThrottledException",
    }
)
INVALID_CREDENTIALS = frozenset(
    {
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "ExpiredTokenException",
        "UnrecognizedClientException",
        "InvalidAccessKeyId",
    }
)

CREDENTIALS_REMEDY = (
    "configure credentials with `aws configure` (or `aws configure sso`), or "
    "export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or pass --profile "
    "NAME; then check them with `cloudviz provider test aws`"
)


def reads(
    *actions: str, fallback: object
) -> Callable[[Callable[Concatenate[Scope, P], R]], Callable[Concatenate[Scope, P], R]]:
    """Declare the IAM actions a `get_` function calls; record its failures.

    On a known cloud failure the function returns `fallback` and the failure
    is recorded on the scope (one entry per scope and action).
    """
    REQUIRED_ACTIONS.update(actions)

    def decorate(
        get: Callable[Concatenate[Scope, P], R],
    ) -> Callable[Concatenate[Scope, P], R]:
        @functools.wraps(get)
        def guarded(scope: Scope, /, *args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return get(scope, *args, **kwargs)
            except (BotoCoreError, ClientError) as error:
                message = describe_failure(error, actions)
                log.warning("aws.read_failed scope=%s %s", scope.label, message)
                scope.record_failure(message)
                return cast(R, fallback)

        return guarded

    return decorate


def error_code(error: BaseException) -> str:
    """The AWS error code; AccessDenied for a bare HTTP 403 without one."""
    if isinstance(error, ClientError):
        code = str(error.response.get("Error", {}).get("Code", "Unknown"))
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return "AccessDenied" if code == "403" and status == 403 else code
    return type(error).__name__


def denied_action(error: ClientError, actions: tuple[str, ...]) -> str:
    """The IAM action behind the failed operation, among those declared."""
    operation = error.operation_name
    for action in actions:
        if action.split(":", 1)[1] == operation:
            return action
    return " and ".join(actions)


def describe_failure(
    error: BotoCoreError | ClientError, actions: tuple[str, ...]
) -> str:
    """A one-line message saying what failed and what to do about it."""
    code = error_code(error)
    if isinstance(error, ClientError):
        action = denied_action(error, actions)
        operation = error.operation_name
        if code in ACCESS_DENIED:
            return (
                f"{code} on {operation}: grant {action} to the identity "
                f"(the full read-only policy is in {POLICY_DOC})"
            )
        if code in OPT_IN:
            return (
                f"{code} on {operation}: the region is not enabled for this "
                "account; enable it (Account settings → AWS Regions) or leave it "
                "out of --regions"
            )
        if code in THROTTLED:
            return (
                f"{code} on {operation}: still throttled after the retries; "
                "lower providers.aws.max_workers or raise providers.aws.max_attempts"
            )
        return f"{code} on {operation} ({action}): {error}"
    if isinstance(error, EndpointConnectionError):
        return (
            f"the service is not reachable in this region ({error}); it may not "
            "be offered there"
        )
    if isinstance(error, ConnectTimeoutError | ReadTimeoutError):
        return f"timed out calling AWS ({error}); check the network and retry"
    if isinstance(error, NoCredentialsError):
        return f"NoCredentialsError: credentials vanished mid-run; {CREDENTIALS_REMEDY}"
    return f"{type(error).__name__}: {error}"


def credentials_failure(error: BotoCoreError | ClientError, who: str) -> ProviderError:
    """The CV004 error for credentials that cannot be used at all."""
    code = error_code(error)
    if isinstance(error, NoCredentialsError):
        message = f"NoCredentialsError: no AWS credentials found for {who}"
    elif isinstance(error, ClientError) and code in INVALID_CREDENTIALS:
        message = f"{code}: the AWS credentials for {who} were refused"
    elif isinstance(error, ClientError) and code in ACCESS_DENIED:
        return ProviderError(
            f"{code}: {who} may not {error.operation_name}",
            hint="allow sts:AssumeRole on the role for this identity and trust "
            "it in the role's trust policy",
        )
    else:
        message = (
            f"{type(error).__name__}: cannot use the AWS credentials for {who}: {error}"
        )
    return ProviderError(message, hint=CREDENTIALS_REMEDY)
