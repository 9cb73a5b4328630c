"""Settings of the podcast API, read from the process environment (12-factor style).

Each deployment gets its variables from the matching .env.<environment> file plus the
database password from the secret store; nothing here has a production default.
"""
import os
from dataclasses import dataclass


def _flag(name: str) -> bool:
    return os.environ[name].strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    app_env: str
    log_level: str
    database_url: str
    db_password: str
    db_pool_size: int
    media_bucket: str
    public_base_url: str
    rss_cache_seconds: int
    feature_chapters: bool
    sentry_environment: str

    @classmethod
    def from_environ(cls) -> "Settings":
        return cls(
            app_env=os.environ["APP_ENV"],
            log_level=os.environ.get("LOG_LEVEL", "info"),
            database_url=os.environ["DATABASE_URL"],
            db_password=os.environ["DB_PASSWORD"],
            db_pool_size=int(os.environ["DB_POOL_SIZE"]),
            media_bucket=os.environ["MEDIA_BUCKET"],
            public_base_url=os.environ["PUBLIC_BASE_URL"],
            rss_cache_seconds=int(os.environ["RSS_CACHE_SECONDS"]),
            feature_chapters=_flag("FEATURE_CHAPTERS"),
            sentry_environment=os.environ["SENTRY_ENVIRONMENT"],
        )
