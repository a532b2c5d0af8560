"""The Redis cache backend that keeps one client per connection pool (careerpath/redis_cache.py)."""

import pytest

from careerpath.redis_cache import RedisCache


@pytest.fixture
def redis_cache():
    from conftest import REDIS_URL

    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": "careerpath-test-redis-cache"})
    yield cache
    cache.delete_many(["a", "b"])


@pytest.mark.redis
def test_it_stores_and_reads_like_djangos_own(redis_cache):
    redis_cache.set("a", {"x": 1}, 30)

    assert redis_cache.get("a") == {"x": 1}
    assert redis_cache.add("a", "other") is False
    assert redis_cache.get_many(["a", "b"]) == {"a": {"x": 1}}


@pytest.mark.redis
def test_every_operation_uses_the_same_client(redis_cache):
    redis_cache.set("a", 1, 30)
    first = redis_cache._cache.get_client("a")

    redis_cache.get("a")

    assert redis_cache._cache.get_client("a") is first
    assert redis_cache._cache.get_client("b", write=True) is first  # one server: one pool


@pytest.mark.parametrize(
    ("url", "backend", "sessions"),
    [
        ("redis://127.0.0.1:6379/1", "careerpath.redis_cache.RedisCache", "cached_db"),
        ("locmemcache://careerpath", "django.core.cache.backends.locmem.LocMemCache", "db"),
    ],
)
def test_the_settings_pick_the_backend_and_the_session_engine_from_cache_url(monkeypatch, url, backend, sessions):
    import importlib

    from careerpath.settings import base

    monkeypatch.setenv("CACHE_URL", url)
    try:
        reloaded = importlib.reload(base)
        assert reloaded.CACHES["default"]["BACKEND"] == backend
        assert reloaded.SESSION_ENGINE.rsplit(".", 1)[1] == sessions
    finally:
        monkeypatch.undo()
        importlib.reload(base)
