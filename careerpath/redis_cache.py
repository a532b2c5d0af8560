"""Django's Redis cache backend, with one redis.Redis client per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` object for every cache operation, and
each one copies redis-py's table of response callbacks: about 0.1 ms of CPU per `cache.get`
on the benchmark machine (150–225 µs against 64 µs with one client reused; docs/benchmarks.md).
Every logged-in page reads its session through the cache and every catalog page comes from
it, so that is a measurable share of a request. A `redis.Redis` object holds no per-command
state (the connection pool hands out connections) and is safe to share between threads, so
keeping one per pool changes nothing else. `careerpath/settings/base.py` uses this backend
whenever CACHE_URL is a redis:// URL.
"""

from django.core.cache.backends import redis


class ReusedClientRedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
