"""Typed settings read from MULTIMED_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MB = 1024 * 1024


class Settings(BaseSettings):
    """Every knob of the service; secrets are SecretStr so they never print."""

    model_config = SettingsConfigDict(env_prefix="MULTIMED_", env_file=None, extra="ignore")

    env: Literal["dev", "test", "prod"] = "dev"
    data_dir: Path = Path("var")

    # Backends, chosen by URL. Unset database_url = embedded PostgreSQL under data_dir.
    database_url: str | None = None
    db_pool_size: int = 20
    # Connections beyond the pool are opened for a burst and closed when returned. Under a sustained load
    # above the pool, that was a new server backend (and its TLS attempt and prepared statements) for every
    # burst: measured 264 per 4,900 summaries requests at 50 clients. A request's read session returns its
    # connection after each statement, so 20 per process is plenty; past it, a statement waits its turn.
    db_max_overflow: int = 0
    # Apply migrations and create the first admin when a process starts. Off for the API worker processes
    # that `multimed serve --workers N` forks (the parent did it once) and where a release step runs
    # `multimed db upgrade`.
    migrate_on_start: bool = True
    blob_url: str | None = None  # file:///path (default data_dir/blobs) or s3://bucket
    s3_endpoint_url: str | None = None
    s3_access_key: SecretStr | None = None
    s3_secret_key: SecretStr | None = None
    s3_region: str = "us-east-1"
    s3_part_size: int = 8 * MB
    redis_url: str | None = None

    # Secrets. In dev they are generated once into data_dir/keys; elsewhere they must be given.
    master_key: SecretStr | None = None  # 32 bytes, urlsafe base64
    retired_master_keys: SecretStr | None = None  # comma-separated base64 keys still able to unwrap
    jwt_secret: SecretStr | None = None  # >= 32 bytes, urlsafe base64
    admin_password: SecretStr | None = None

    # Tokens.
    access_token_ttl_seconds: int = 900
    refresh_token_ttl_seconds: int = 14 * 24 * 3600
    jwt_issuer: str = "multimed"
    jwt_audience: str = "multimed-api"

    # Uploads: per-kind limits, enforced while streaming.
    max_pdf_bytes: int = 50 * MB
    max_dicom_bytes: int = 500 * MB
    max_audio_bytes: int = 200 * MB
    blob_chunk_size: int = 1 * MB

    # HTTP / GraphQL.
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = "http://127.0.0.1:8000"
    # Where links in notification emails point (a dashboard in front of the API); unset = public_url.
    public_base_url: str | None = None
    allowed_origins: list[str] = Field(
        default_factory=lambda: ["http://127.0.0.1:8000", "http://localhost:8000"]
    )
    graphiql: bool = True
    graphql_max_depth: int = 12
    graphql_max_aliases: int = 30
    graphql_max_tokens: int = 4000
    # Static price of an operation (graphql/cost.py); over it nothing executes (QUERY_TOO_EXPENSIVE).
    graphql_max_cost: int = Field(default=5000, ge=1)
    # Persisted queries (graphql/persisted.py): off, allow (hashes and text), enforce (manifest operations).
    persisted_queries: Literal["off", "allow", "enforce"] = "allow"
    # A {sha256: query} JSON manifest; unset = the one shipped in the package (graphql/operations/).
    persisted_queries_manifest: Path | None = None
    page_size_max: int = 100
    login_attempts_per_minute: int = 10

    # De-identification.
    deid_policy: Literal["SAFE_HARBOR", "LIMITED"] = "SAFE_HARBOR"
    # PS3.15 options (DicomOptions field names); date options apply only under LIMITED, cleaning
    # options only where a PHI detector runs.
    dicom_options: list[str] = Field(
        default_factory=lambda: [
            "clean_descriptors",
            "retain_long_modified_dates",
            "retain_patient_characteristics",
        ]
    )
    phi_detector: str = "presidio"
    ocr_engine: Literal["tesseract", "easyocr"] = "tesseract"
    # Re-read OCR lines with EasyOCR's recogniser (ml/ocr/second_reading.py):
    # - "lab-lines": only the words of lab result lines the lab reader doubts (an unreadable name, an unsure
    #   value), accepted only when the line then reads consistently (findings/labs/ocr_check.py); this is
    #   what names a critical result whose analyte Tesseract garbled (benchmarks/findings_eval.py);
    # - "low-confidence": every line under Tesseract's confidence threshold (helps 100 dpi faxes: it fixed
    #   16 of 55 misread lab lines there, benchmarks/extract.py); "true" in older settings means this;
    # - "off".
    ocr_second_reading: Literal["off", "low-confidence", "lab-lines"] = "lab-lines"
    # PDFs with more pages are refused before any page is read (extraction/pdf.py).
    pdf_max_pages: int = Field(default=200, ge=1)
    transcription_engine: Literal["whisper-base", "whisper-tiny.en"] = "whisper-base"
    # OCR DICOM pixels and black out burned-in identifiers (PS3.15 Clean Pixel Data).
    dicom_clean_pixels: bool = True
    # A hospital's own critical ("panic") limits: a CSV with the columns of the packaged default table
    # (../shared/reference/critical-values.csv); unset uses the default.
    critical_limits_path: Path | None = None
    # Jobs this process runs at once (in-process runner); 0 = an API-only process that leaves jobs QUEUED
    # for a worker.
    job_concurrency: int = Field(default=2, ge=0, le=64)
    # Where jobs run: inside `multimed serve` (embedded default), or on Celery workers over Redis.
    job_runner: Literal["in-process", "celery"] = "in-process"
    # A stage failing on the database, store or broker is retried this many times, after 1x, 2x, 4x… the base.
    job_retries: int = Field(default=3, ge=0, le=10)
    job_retry_base_seconds: float = Field(default=1.0, ge=0)
    # A stage running longer fails the job with `stage_timeout` (a 2-hour dictation is far below this).
    job_stage_timeout_seconds: float = Field(default=3600.0, gt=0)
    # Celery: a worker's hold on a job, renewed every third of it; a killed worker's job is free after it.
    job_lease_seconds: int = Field(default=30, ge=3)
    # Sentence embedder of the extractive note summarizer.
    sentence_embedder: Literal["minilm"] = "minilm"
    # Cache of summaries/findings pages (cache/): in Redis when redis_url is set, else in this process.
    cache_enabled: bool = True
    # Also whole GraphQL responses of queries that read only summaries and findings (graphql/cacheable.py),
    # answered before Strawberry runs; off = only the pages of rows are cached.
    cache_responses: bool = True
    # A safety net only: every write of summaries or findings retires its organization's pages at once.
    cache_ttl_seconds: int = Field(default=300, ge=1)
    cache_memory_max_bytes: int = Field(default=64 * MB, ge=0)
    cache_prefix: str = "multimed:cache"  # Redis key prefix (one per deployment sharing a Redis)

    # Default SMTP server for notification emails, used by organizations without their own (configureSmtp).
    # No host or no sender = in-app notifications only.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: Literal["NONE", "STARTTLS", "TLS"] = "STARTTLS"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = None
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    # PEM certificates trusted for SMTP TLS instead of the system's (a hospital's internal CA).
    smtp_ca_file: Path | None = None

    log_level: str = "INFO"
    log_json: bool = True

    @field_validator("ocr_second_reading", mode="before")
    @classmethod
    def _second_reading_from_bool(cls, value: object) -> object:
        """MULTIMED_OCR_SECOND_READING was a boolean: true meant the low-confidence reading."""
        text = str(value).strip().lower()
        return {"true": "low-confidence", "1": "low-confidence", "false": "off", "0": "off"}.get(text, value)

    @field_validator("allowed_origins", "dicom_options", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str) and not value.startswith("["):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @property
    def is_dev(self) -> bool:
        return self.env == "dev"

    @property
    def links_base_url(self) -> str:
        """The base of links in emails, without a trailing slash."""
        return (self.public_base_url or self.public_url).rstrip("/")

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"

    @property
    def models_dir(self) -> Path:
        """Where model files assembled from their packages are cached (e.g. the joined Whisper base)."""
        return self.data_dir / "models"

    @property
    def pgdata_dir(self) -> Path:
        return self.data_dir / "postgres"

    @property
    def effective_blob_url(self) -> str:
        return self.blob_url or f"file://{(self.data_dir / 'blobs').resolve()}"

    def max_bytes_for(self, kind: str) -> int:
        """Upload limit for a file kind (PDF, DICOM, AUDIO)."""
        return {"PDF": self.max_pdf_bytes, "DICOM": self.max_dicom_bytes, "AUDIO": self.max_audio_bytes}[kind]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings of this process, read once from the environment."""
    return Settings()
