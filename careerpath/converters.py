"""URL converters: `<id:pk>` is Django's `<int:pk>` bounded to what a database id column holds.

`<int:...>` matches any run of digits, so a path with a 25-digit id reached the ORM, where SQLite
raises OverflowError (a 500) and PostgreSQL an out-of-range error. With `<id:...>` such a path
matches no URL at all and is answered 404, like any id nobody has.
"""

from django.urls import register_converter

from .security import MAX_ID


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("an id past the largest a database column holds")  # Django: this URL doesn't match
        return number

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
