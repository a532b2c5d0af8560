"""Write a questionnaire version from the database as YAML (see docs/questionnaire.md)."""

import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import QuestionnaireVersion
from assessments.questionnaire_io import questionnaire_export, write_questionnaire


class Command(BaseCommand):
    help = (
        "Export a questionnaire version (the active one by default) in the format load_questionnaire reads. "
        "Loading the export into an empty database and exporting again gives the same file."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version picks a questionnaire version; it replaces Django's "show the Django version" flag.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--version", type=int, dest="number", help="version number (default: the active version)")
        parser.add_argument(
            "--questionnaire", help="questionnaire slug (default: the active version's, or the only questionnaire)"
        )
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, number: int | None, questionnaire: str | None, output: str | None, **options):
        version = self.find_version(number=number, slug=questionnaire)
        data = questionnaire_export(version=version)
        if not output:
            buffer = io.StringIO()
            write_questionnaire(data, buffer)
            # OutputWrapper adds a newline to every write(); write the document in one piece.
            self.stdout.write(buffer.getvalue(), ending="")
            return
        try:
            with Path(output).open("w", encoding="utf-8") as stream:
                write_questionnaire(data, stream)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from exc
        items = sum(len(section["items"]) for section in data["sections"])
        self.stderr.write(
            f"Wrote {version.questionnaire.name} v{version.number} ({version.get_status_display().lower()}, "
            f"{len(data['sections'])} sections, {items} items) to {output}."
        )

    def find_version(self, *, number: int | None, slug: str | None) -> QuestionnaireVersion:
        versions = QuestionnaireVersion.objects.select_related("questionnaire")
        if slug is None:
            active = versions.filter(is_active=True).first()
            if active is not None and number is None:
                return active
            if active is not None:
                slug = active.questionnaire.slug
            else:
                slugs = sorted(set(versions.values_list("questionnaire__slug", flat=True)))
                if not slugs:
                    raise CommandError("There is no questionnaire version to export; run load_questionnaire first.")
                if len(slugs) > 1:
                    raise CommandError(
                        f"No version is active; name the questionnaire with --questionnaire ({', '.join(slugs)})."
                    )
                slug = slugs[0]
        versions = versions.filter(questionnaire__slug=slug)
        if number is not None:
            version = versions.filter(number=number).first()
            if version is None:
                known = ", ".join(str(n) for n in versions.order_by("number").values_list("number", flat=True))
                raise CommandError(f"{slug} has no version {number} (versions: {known or 'none'}).")
            return version
        version = versions.filter(is_active=True).first() or versions.order_by("-number").first()
        if version is None:
            raise CommandError(f"There is no questionnaire {slug!r} with a version to export.")
        return version
