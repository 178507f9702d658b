"""Logging in, refreshing, logging out, and turning credentials into a Principal.

`AuthService(session, settings.auth)` is what the API's auth routes and its
authentication dependency call:

- `login(username, password)` → `TokenPair`
- `refresh(refresh_token)` → a new `TokenPair`; the used refresh token is
  revoked (rotation), so a stolen one works at most once
- `logout(access_token, refresh_token=None)` revokes both
- `principal_from_token(access_token)` and `principal_from_api_key(value)`
  → `Principal`, re-reading the user so role changes apply immediately
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from cloudviz.auth.permissions import Principal
from cloudviz.auth.tokens import ACCESS, REFRESH, TokenClaims, TokenCodec, TokenPair
from cloudviz.config import AuthSettings
from cloudviz.errors import AuthenticationError, NotFoundError
from cloudviz.store.api_keys import ApiKeyService
from cloudviz.store.revoked_tokens import RevokedTokenRepository
from cloudviz.store.users import UserInfo, UserService

_REVOKED_HINT = "log in again (POST /auth/login)"


class AuthService:
    def __init__(self, session: Session, settings: AuthSettings) -> None:
        self.session = session
        self.codec = TokenCodec(settings)
        self.users = UserService(session)
        self.revoked = RevokedTokenRepository(session)

    def _pair(self, user: UserInfo) -> TokenPair:
        return self.codec.pair(
            user_id=user.id,
            username=user.username,
            roles=list(user.roles),
            permissions=user.effective_permissions,
        )

    def login(self, username: str, password: str) -> TokenPair:
        return self._pair(self.users.authenticate(username, password))

    def _verified(self, token: str, token_type: str) -> tuple[TokenClaims, UserInfo]:
        claims = self.codec.decode(token, token_type)
        if self.revoked.is_revoked(claims.jti):
            raise AuthenticationError("Token has been revoked", hint=_REVOKED_HINT)
        try:
            user = self.users.get(claims.user_id)
        except NotFoundError:
            raise AuthenticationError(
                "Invalid token: its user no longer exists", hint=_REVOKED_HINT
            ) from None
        if not user.is_active:
            raise AuthenticationError(
                "this account is disabled", hint="ask an administrator to enable it"
            )
        return claims, user

    def refresh(self, refresh_token: str) -> TokenPair:
        claims, user = self._verified(refresh_token, REFRESH)
        self.revoked.revoke(claims.jti, claims.expires_at)
        return self._pair(user)

    def verify(self, access_token: str) -> TokenClaims:
        """The claims of a valid, unrevoked access token (for /auth/verify)."""
        return self._verified(access_token, ACCESS)[0]

    def logout(self, access_token: str, refresh_token: str | None = None) -> None:
        claims = self.codec.decode(access_token, ACCESS)
        self.revoked.revoke(claims.jti, claims.expires_at)
        if refresh_token:
            refresh_claims = self.codec.decode(refresh_token, REFRESH)
            self.revoked.revoke(refresh_claims.jti, refresh_claims.expires_at)

    def principal_from_token(self, access_token: str) -> Principal:
        claims, user = self._verified(access_token, ACCESS)
        return user.principal(token_id=claims.jti)

    def principal_from_api_key(self, header_value: str) -> Principal:
        return ApiKeyService(self.session).verify(header_value)
