"""Write the roles catalog in the database to a YAML file (see docs/catalog.md)."""

import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from roles.catalog_io import UNRELEASED, catalog_export, write_catalog


class Command(BaseCommand):
    help = "Export the roles catalog (roles, skills, credentials, moves, ...) as YAML that load_catalog reads."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")
        parser.add_argument(
            "--catalog-version",
            default=UNRELEASED,
            help=f"version to stamp on the export, e.g. 2026.12.1 (default: {UNRELEASED!r})",
        )

    def handle(self, *args, output: str | None, catalog_version: str, **options):
        data = catalog_export(catalog_version=catalog_version)
        if not output:
            buffer = io.StringIO()
            write_catalog(data, buffer)
            # OutputWrapper adds a newline to every write(); write the document in one piece.
            self.stdout.write(buffer.getvalue(), ending="")
            return
        try:
            with Path(output).open("w", encoding="utf-8") as stream:
                write_catalog(data, stream)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from exc
        counts = ", ".join(
            f"{len(data[name])} {name.replace('_', ' ')}" for name in ("roles", "skills", "certifications")
        )
        self.stderr.write(f"Wrote catalog {catalog_version} to {output} ({counts}).")
