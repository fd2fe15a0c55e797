"""Beyond one machine (docs/decisions.md, 26): the job queue and the uploads' storage come
from the environment; the defaults need nothing but the local disk."""

from tests.test_settings_security import manage, production_env

SHOW = (
    "from django.core.files.storage import storages;"
    "from huey.contrib.djhuey import HUEY;"
    "print(type(storages['default']).__name__, type(HUEY).__name__, HUEY.immediate)"
)


def shown(env) -> str:
    result = manage(env, "shell", "-c", SHOW)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_by_default_local_files_and_a_sqlite_queue_served_by_a_worker(tmp_path):
    assert shown(production_env(tmp_path)) == "FileSystemStorage SqliteHuey False"


def test_in_debug_jobs_run_at_once_unless_told_otherwise(tmp_path):
    assert shown(production_env(tmp_path, TREMPLIN_DEBUG="1")).endswith("SqliteHuey True")
    env = production_env(tmp_path, TREMPLIN_DEBUG="1", TREMPLIN_HUEY_IMMEDIATE="0")
    assert shown(env).endswith("SqliteHuey False")


def test_several_servers_share_redis_and_an_s3_bucket(tmp_path):
    env = production_env(
        tmp_path,
        TREMPLIN_HUEY_REDIS_URL="redis://queue.internal:6379/0",
        TREMPLIN_S3_BUCKET="tremplin-fichiers",
        TREMPLIN_S3_ENDPOINT_URL="https://s3.fr-par.scw.cloud",
    )
    assert shown(env) == "S3Storage RedisHuey False"


CACHE = "from django.core.cache import caches; print(type(caches['default']).__name__)"


def cache_of(env) -> str:
    result = manage(env, "shell", "-c", CACHE)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_cache_is_files_shared_by_the_processes_by_default(tmp_path):
    """A copy dropped by one gunicorn worker is dropped for the others (decision 54)."""
    env = production_env(tmp_path)
    assert cache_of(env) == "FileBasedCache"
    put = "from django.core.cache import cache; cache.set('kept', 'from one process', 60)"
    get = "from django.core.cache import cache; print(cache.get('kept'))"
    assert manage(env, "shell", "-c", put).returncode == 0
    read = manage(env, "shell", "-c", get)
    assert read.stdout.strip().splitlines()[-1] == "from one process"
    # Another database (the bench's beside the development one) reads none of its copies.
    other = {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite3'}"}
    assert manage(other, "shell", "-c", get).stdout.strip().splitlines()[-1] == "None"


def test_several_servers_share_a_redis_cache(tmp_path):
    env = production_env(tmp_path, REDIS_URL="redis://cache.internal:6379/1")
    assert cache_of(env) == "RedisCache"
    env = production_env(tmp_path, TREMPLIN_CACHE_REDIS_URL="redis://cache.internal:6379/2")
    assert cache_of(env) == "RedisCache"
