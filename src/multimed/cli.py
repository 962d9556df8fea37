"""The `multimed` command: serve, worker, db upgrade, users create, audit verify, keys generate, schema."""

from __future__ import annotations

import asyncio
import getpass
import os
import secrets
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from multimed.core.settings import Settings, get_settings

app = typer.Typer(
    help="MultiMed Fusion: de-identified, traceable summaries of medical files.", no_args_is_help=True
)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
users_app = typer.Typer(help="User accounts.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)
keys_app = typer.Typer(help="Secrets.", no_args_is_help=True)
graphql_app = typer.Typer(help="GraphQL tooling.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(keys_app, name="keys")
app.add_typer(graphql_app, name="graphql")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default MULTIMED_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default MULTIMED_PORT).")] = None,
    tls_cert: Annotated[Path | None, typer.Option("--tls-cert", help="PEM certificate: serve HTTPS.")] = None,
    tls_key: Annotated[Path | None, typer.Option("--tls-key", help="PEM private key for --tls-cert.")] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="API processes. More than one needs MULTIMED_DATABASE_URL and MULTIMED_REDIS_URL (shared "
            "cache, events and rate limits) and jobs run by Celery or not at all "
            "(MULTIMED_JOB_RUNNER=celery or MULTIMED_JOB_CONCURRENCY=0).",
        ),
    ] = 1,
) -> None:
    """Run the API server (embedded PostgreSQL unless MULTIMED_DATABASE_URL is set)."""
    import uvicorn

    from multimed.app import create_app
    from multimed.observability.logging import configure_logging

    settings = get_settings()
    if (tls_cert is None) != (tls_key is None):
        raise typer.BadParameter("--tls-cert and --tls-key go together")
    if workers > 1 and (problem := _single_process_only(settings)):
        raise typer.BadParameter(f"--workers {workers}: {problem}")
    configure_logging(settings.log_level, settings.log_json)
    scheme = "https" if tls_cert else "http"
    bind_host, bind_port = host or settings.host, port or settings.port
    if workers > 1:
        from multimed.runtime import build_runtime

        async def prepare() -> None:  # migrations and the first admin once, not raced by N processes
            await (await build_runtime(settings)).close()

        asyncio.run(prepare())
        os.environ["MULTIMED_MIGRATE_ON_START"] = "false"  # read by the worker processes' settings
    print(f"MultiMed Fusion on {scheme}://{bind_host}:{bind_port} (GraphiQL at /graphql)", file=sys.stderr)
    options: dict[str, Any] = {
        "log_config": None,
        "access_log": False,
        "ssl_certfile": str(tls_cert) if tls_cert else None,
        "ssl_keyfile": str(tls_key) if tls_key else None,
        "proxy_headers": False,
        "server_header": False,
        # Progress events are ~200 bytes: per-message deflate would cost a zlib context per connection
        # (hundreds of KB) and most of each send's CPU (measured with benchmarks/fanout.py).
        "ws_per_message_deflate": False,
    }
    if workers > 1:
        from multimed.serving import serve_workers

        serve_workers("multimed.app:asgi", workers=workers, host=bind_host, port=bind_port, **options)
    else:
        uvicorn.run(create_app(settings), host=bind_host, port=bind_port, **options)


def _single_process_only(settings: Settings) -> str | None:
    """Why these settings cannot serve from several processes, or None."""
    if not settings.database_url:
        return "the embedded PostgreSQL belongs to one process; set MULTIMED_DATABASE_URL"
    if not settings.redis_url:
        return "each process would keep its own cache, events and rate limits; set MULTIMED_REDIS_URL"
    if settings.job_runner == "in-process" and settings.job_concurrency > 0:
        return "each process would run jobs of its own; set MULTIMED_JOB_RUNNER=celery"
    return None


@app.command()
def worker(
    queues: Annotated[
        str, typer.Option(help="Comma-separated: ocr, speech, summaries.")
    ] = "ocr,speech,summaries",
    concurrency: Annotated[int, typer.Option(help="Worker processes (each runs one job at a time).")] = 2,
) -> None:
    """Run jobs from the Redis broker (MULTIMED_JOB_RUNNER=celery on the API, MULTIMED_REDIS_URL on both)."""
    from multimed.observability.logging import configure_logging
    from multimed.worker.celery_app import QUEUES, make_celery

    settings = get_settings()
    wanted = [q.strip() for q in queues.split(",") if q.strip()]
    if unknown := sorted(set(wanted) - set(QUEUES)):
        raise typer.BadParameter(f"unknown queues {unknown}; known: {', '.join(QUEUES)}")
    configure_logging(settings.log_level, settings.log_json)
    make_celery(settings).worker_main(
        [
            "worker",
            "--queues",
            ",".join(wanted),
            "--concurrency",
            str(concurrency),
            "--pool",
            "prefork",
            "--loglevel",
            settings.log_level,
            "--without-gossip",
            "--without-mingle",
        ]
    )


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply migrations (to the embedded database when no URL is configured)."""
    from multimed import migrations
    from multimed.runtime import resolve_database_url

    url = asyncio.run(resolve_database_url(get_settings()))
    migrations.upgrade_sync(url, revision)
    typer.echo(f"database at {revision}")


@users_app.command("create")
def users_create(
    username: str,
    role: Annotated[str, typer.Option(help="ADMIN, CLINICIAN, ANALYST or AUDITOR")],
    organization: Annotated[str, typer.Option(help="Organization name (created if missing).")] = "",
    password: Annotated[str | None, typer.Option(help="Password (prompted when omitted).")] = None,
) -> None:
    """Create a user; the password is prompted for unless given."""
    from multimed.auth import service as auth_service
    from multimed.auth.models import Role
    from multimed.core.db import transaction
    from multimed.core.errors import DomainError
    from multimed.runtime import DEFAULT_ORGANIZATION, build_runtime

    try:
        chosen = Role(role.upper())
    except ValueError as exc:
        raise typer.BadParameter("role must be ADMIN, CLINICIAN, ANALYST or AUDITOR") from exc
    secret = password or getpass.getpass("Password (12+ characters): ")

    async def run() -> None:
        runtime = await build_runtime(get_settings(), bootstrap=False)
        try:
            async with transaction(runtime.sessions) as session:
                org = await auth_service.get_or_create_organization(
                    session=session, name=organization or DEFAULT_ORGANIZATION
                )
                user = await auth_service.create_user(
                    session=session, organization_id=org.id, username=username, password=secret, role=chosen
                )
            typer.echo(f"created user {user.username} ({chosen.value}) id={user.id}")
        finally:
            await runtime.close()

    try:
        asyncio.run(run())
    except DomainError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from exc


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the hash chain; exit 1 and name the first broken event if any row was altered or deleted."""
    from multimed.audit import service as audit_service
    from multimed.runtime import build_runtime

    async def run() -> audit_service.ChainReport:
        runtime = await build_runtime(get_settings(), bootstrap=False)
        try:
            async with runtime.sessions() as session:
                return await audit_service.verify(session=session)
        finally:
            await runtime.close()

    report = asyncio.run(run())
    if report.ok:
        typer.echo(f"audit chain intact: {report.checked} events")
        return
    typer.echo(
        f"audit chain BROKEN at event seq={report.first_broken_seq}: {report.reason} "
        f"({report.checked} events verified before it)",
        err=True,
    )
    raise typer.Exit(1)


@keys_app.command("generate")
def keys_generate() -> None:
    """Print fresh MULTIMED_MASTER_KEY and MULTIMED_JWT_SECRET values for a production environment."""
    from multimed.core.keys import KEY_BYTES, encode_key

    typer.echo(f"MULTIMED_MASTER_KEY={encode_key(secrets.token_bytes(KEY_BYTES))}")
    typer.echo(f"MULTIMED_JWT_SECRET={encode_key(secrets.token_bytes(KEY_BYTES))}")


@app.command("schema")
def schema_sdl(output: Annotated[Path | None, typer.Option(help="Write to this file.")] = None) -> None:
    """Print (or write) the GraphQL SDL."""
    from multimed.graphql.schema import schema

    sdl = schema.as_str() + "\n"
    if output:
        output.write_text(sdl)
    else:
        sys.stdout.write(sdl)


@graphql_app.command("manifest")
def graphql_manifest(
    directory: Annotated[Path, typer.Argument(help="Directory of .graphql operation files (searched deep).")],
    output: Annotated[Path | None, typer.Option(help="Write the manifest JSON to this file.")] = None,
) -> None:
    """Print (or write) the persisted-query manifest {sha256: query}; fails if the schema refuses one."""
    import json

    from multimed.graphql.persisted import invalid_operations, manifest_from_directory
    from multimed.graphql.schema import schema

    if not directory.is_dir():
        raise typer.BadParameter(f"{directory} is not a directory")
    manifest = manifest_from_directory(directory)
    if problems := invalid_operations(schema._schema, manifest):
        for problem in problems:
            typer.echo(problem, err=True)
        raise typer.Exit(1)
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"{len(manifest)} operations written to {output}", err=True)
    else:
        sys.stdout.write(text)


def main() -> None:
    # Models come from installed packages only: an accidental hub download must fail, not hang.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    app()


if __name__ == "__main__":
    main()
