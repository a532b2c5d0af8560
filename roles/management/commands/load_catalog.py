"""Load the roles catalog from a YAML file (see docs/catalog.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from roles.catalog_io import CatalogError, read_catalog
from roles.services import catalog_load

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "catalog.yaml"


class Command(BaseCommand):
    help = (
        "Create or update the roles catalog from a YAML file, matching rows by slug. "
        "Rows the file does not mention are kept. Running it twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(DEFAULT_PATH), help="catalog file (default: roles/data/catalog.yaml)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and report what would change, saving nothing"
        )

    def handle(self, *args, path: str, dry_run: bool, **options):
        try:
            report = catalog_load(data=read_catalog(path), dry_run=dry_run)
        except CatalogError as exc:
            raise CommandError(f"{path}: the catalog was not loaded.\n{exc}") from exc
        self.stdout.write(f"Catalog {report.catalog_version} from {path}")
        width = max(len(name) for name in report.sections)
        for name, counts in report.sections.items():
            line = f"  {name.replace('_', ' '):<{width}}  created {counts.created}, updated {counts.updated}, "
            line += f"unchanged {counts.unchanged}"
            if counts.removed:
                line += f", removed {counts.removed}"
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(self.style.WARNING("(dry run: nothing saved)"))
        elif report.changed:
            self.stdout.write(self.style.SUCCESS("Catalog loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Catalog already up to date; nothing changed."))
