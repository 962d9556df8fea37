"""Users, logins, token refresh with rotation and reuse detection, first-admin bootstrap."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from multimed.audit import service as audit_service
from multimed.audit.actions import Action, Outcome
from multimed.auth import passwords, tokens
from multimed.auth.errors import (
    InvalidCredentials,
    InvalidToken,
    RefreshTokenReused,
    UsernameTaken,
    WeakPassword,
)
from multimed.auth.models import Organization, RefreshToken, Role, User
from multimed.core.db import utcnow
from multimed.core.errors import NotFound
from multimed.core.keys import SigningKey


@dataclass(frozen=True)
class TokenSettings:
    key: SigningKey
    access_ttl_seconds: int
    refresh_ttl_seconds: int
    issuer: str
    audience: str


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    user: User


async def get_user(*, session: AsyncSession, user_id: uuid.UUID) -> User | None:
    """A user by id."""
    return await session.get(User, user_id)


async def get_user_or_raise(*, session: AsyncSession, user_id: uuid.UUID, organization_id: uuid.UUID) -> User:
    """A user of the organization, or NotFound."""
    user = await session.get(User, user_id)
    if user is None or user.organization_id != organization_id:
        raise NotFound("user not found")
    return user


async def users_by_ids(
    *, session: AsyncSession, ids: list[uuid.UUID], organization_id: uuid.UUID
) -> dict[uuid.UUID, User]:
    """Users of the organization by id, in one query."""
    rows = await session.execute(
        select(User).where(col(User.id).in_(ids), User.organization_id == organization_id)
    )  # type: ignore[attr-defined]
    return {user.id: user for user in rows.scalars().all()}


async def create_user(
    *,
    session: AsyncSession,
    organization_id: uuid.UUID,
    username: str,
    password: str,
    role: Role,
    actor_id: uuid.UUID | None = None,
    request_id: str | None = None,
) -> User:
    """A new user with an argon2 hash; audited as an admin action."""
    if len(password) < passwords.MIN_LENGTH:
        raise WeakPassword()
    user = User(
        organization_id=organization_id,
        username=username.strip(),
        role=role.value,
        password_hash=passwords.hash_password(password),
    )
    try:
        async with session.begin_nested():
            session.add(user)
            await session.flush()
    except IntegrityError as exc:
        raise UsernameTaken() from exc
    await audit_service.append(
        session=session,
        action=Action.USER_CREATE,
        outcome=Outcome.OK,
        organization_id=organization_id,
        actor_id=actor_id,
        target_type="user",
        target_id=user.id,
        request_id=request_id,
        details={"role": role.value},
    )
    return user


async def _issue(session: AsyncSession, user: User, cfg: TokenSettings, family_id: uuid.UUID) -> TokenPair:
    refresh, digest = tokens.new_refresh_token()
    session.add(
        RefreshToken(
            user_id=user.id,
            family_id=family_id,
            token_hash=digest,
            expires_at=utcnow() + timedelta(seconds=cfg.refresh_ttl_seconds),
        )
    )
    await session.flush()
    access = tokens.issue_access_token(
        user, cfg.key, ttl_seconds=cfg.access_ttl_seconds, issuer=cfg.issuer, audience=cfg.audience
    )
    return TokenPair(access, refresh, cfg.access_ttl_seconds, user)


async def login(
    *, session: AsyncSession, username: str, password: str, cfg: TokenSettings, request_id: str | None = None
) -> TokenPair:
    """Tokens for valid credentials; every attempt is audited (the username never is)."""
    user = (await session.execute(select(User).where(User.username == username.strip()))).scalar_one_or_none()
    ok = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.is_active:
        await audit_service.append(
            session=session,
            action=Action.LOGIN,
            outcome=Outcome.FAILED,
            organization_id=user.organization_id if user else None,
            actor_id=user.id if user else None,
            request_id=request_id,
            details={"reason": "inactive" if user and ok else "bad_credentials"},
        )
        raise InvalidCredentials()
    await audit_service.append(
        session=session,
        action=Action.LOGIN,
        outcome=Outcome.OK,
        organization_id=user.organization_id,
        actor_id=user.id,
        request_id=request_id,
    )
    return await _issue(session, user, cfg, uuid.uuid4())


async def refresh(
    *, session: AsyncSession, refresh_token: str, cfg: TokenSettings, request_id: str | None = None
) -> TokenPair:
    """Rotate a refresh token; presenting a used one revokes its whole family (theft detection)."""
    digest = tokens.hash_refresh_token(refresh_token)
    row = (
        await session.execute(select(RefreshToken).where(RefreshToken.token_hash == digest).with_for_update())
    ).scalar_one_or_none()
    if row is None:
        raise InvalidToken("refresh token is invalid or expired")
    user = await session.get(User, row.user_id)
    assert user is not None
    now = utcnow()
    if row.used_at is not None or row.revoked_at is not None:
        await session.execute(
            update(RefreshToken)
            .where(col(RefreshToken.family_id) == row.family_id, col(RefreshToken.revoked_at).is_(None))
            .values(revoked_at=now)
        )
        await audit_service.append(
            session=session,
            action=Action.TOKEN_REUSE,
            outcome=Outcome.DENIED,
            organization_id=user.organization_id,
            actor_id=user.id,
            target_type="token_family",
            target_id=row.family_id,
            request_id=request_id,
        )
        raise RefreshTokenReused()
    if row.expires_at <= now or not user.is_active:
        raise InvalidToken("refresh token is invalid or expired")
    row.used_at = now
    await audit_service.append(
        session=session,
        action=Action.TOKEN_REFRESH,
        outcome=Outcome.OK,
        organization_id=user.organization_id,
        actor_id=user.id,
        request_id=request_id,
    )
    return await _issue(session, user, cfg, row.family_id)


async def bootstrap_admin(
    *, session: AsyncSession, organization_name: str, password: str | None
) -> tuple[User, str | None] | None:
    """Create the first organization and its `admin` when no user exists; returns a generated password."""
    if (await session.execute(select(func.count()).select_from(User))).scalar_one() > 0:
        return None
    org = (
        await session.execute(select(Organization).where(Organization.name == organization_name))
    ).scalar_one_or_none()
    if org is None:
        org = Organization(name=organization_name)
        session.add(org)
        await session.flush()
    generated = None if password else secrets.token_urlsafe(18)
    user = await create_user(
        session=session,
        organization_id=org.id,
        username="admin",
        password=password or generated or "",
        role=Role.ADMIN,
    )
    await audit_service.append(
        session=session,
        action=Action.BOOTSTRAP,
        outcome=Outcome.OK,
        organization_id=org.id,
        target_type="user",
        target_id=user.id,
    )
    return user, generated


async def get_or_create_organization(*, session: AsyncSession, name: str) -> Organization:
    """An organization by name, created when missing."""
    org = (await session.execute(select(Organization).where(Organization.name == name))).scalar_one_or_none()
    if org is None:
        org = Organization(name=name)
        session.add(org)
        await session.flush()
    return org
