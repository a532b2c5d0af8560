"""Load the self-assessment questionnaire from a YAML file (see docs/questionnaire.md)."""

import argparse

from django.core.management.base import BaseCommand, CommandError

from assessments.questionnaire_io import DEFAULT_PATH, QuestionnaireError, read_questionnaire
from assessments.versioning import questionnaire_load


class Command(BaseCommand):
    help = (
        "Load a questionnaire file as a new version when it differs from the latest version; "
        "running it again with the same file changes nothing. The new version is published and "
        "activated when no version is active yet (or with --activate); otherwise it stays a draft."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            default=str(DEFAULT_PATH),
            help="questionnaire file (default: assessments/data/questionnaire.yaml)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and report what would happen, saving nothing"
        )
        parser.add_argument(
            "--activate",
            action=argparse.BooleanOptionalAction,
            default=None,
            help=(
                "publish the loaded version and make it the active one (--no-activate: leave it a draft; "
                "default: activate only when no version is active yet)"
            ),
        )

    def handle(self, *args, path: str, dry_run: bool, activate: bool | None, **options):
        try:
            data = read_questionnaire(path)
            outcome = questionnaire_load(data=data, activate=activate, dry_run=dry_run)
        except QuestionnaireError as exc:
            raise CommandError(f"{path}: the questionnaire was not loaded.\n{exc}") from exc
        questionnaire, version = outcome.questionnaire, outcome.version
        would = "would be " if dry_run else ""
        name = f"{questionnaire.name} ({questionnaire.slug})"
        if outcome.questionnaire_created:
            self.stdout.write(f"Questionnaire {name} {would}created.")
        elif outcome.details_updated:
            self.stdout.write(f"Questionnaire {name}: name and description {would}updated.")
        items = sum(len(section["items"]) for section in data["sections"])
        if outcome.version_created:
            self.stdout.write(f"Version {version.number} {would}created from {path} ({items} items).")
        else:
            # After an activation the version's state is the new one, which the next line reports.
            state = "" if outcome.activated else f" ({'active' if version.is_active else version.status})"
            self.stdout.write(f"Version {version.number}{state} already matches {path}; no new version.")
        if outcome.activated:
            self.stdout.write(f"Version {version.number} {would}published and made the active version.")
        elif not version.is_published:
            self.stdout.write(
                f"Version {version.number} is a draft: people keep answering the active version. "
                f"Publish it with `manage.py load_questionnaire {path} --activate`."
            )
        if dry_run:
            self.stdout.write(self.style.WARNING("(dry run: nothing saved)"))
        elif outcome.changed:
            self.stdout.write(self.style.SUCCESS("Questionnaire loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Questionnaire already up to date; nothing changed."))
