"""Create two demo accounts to try careerpath locally: an engineer and an HR user.

Running it again changes nothing. It refuses to run unless DEBUG is on, because
the passwords are printed and written in this file.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import selectors, services
from roles.models import Discipline, Role

DEMO_ENGINEER = {"email": "engineer@example.com", "name": "Dana Engineer", "password": "demo-engineer-pass-2026"}
DEMO_HR = {"email": "hr@example.com", "name": "Harper HR", "password": "demo-hr-pass-2026"}
# The demo engineer's profile; the discipline and role are used only if the catalog has them.
DEMO_DISCIPLINE_SLUG = "software"
DEMO_ROLE_SLUG = "senior-engineer"
DEMO_YEARS = 6


class Command(BaseCommand):
    help = "Create a demo engineer and a demo HR user for local use (needs DEBUG=True). Safe to run twice."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "create_demo_users only runs with DEBUG=True (the local settings), because it creates "
                "accounts whose passwords are public. Use careerpath.settings.local, or set DEBUG=True."
            )
        with transaction.atomic():
            engineer, engineer_created = self._ensure_user(DEMO_ENGINEER)
            if engineer_created:
                self._fill_engineer_profile(engineer)
            hr, hr_created = self._ensure_user(DEMO_HR)
            hr_changed = services.hr_member_add(user=hr)

        if not (engineer_created or hr_created or hr_changed):
            self.stdout.write("The demo users already exist; nothing changed.")
        for account, created in ((DEMO_ENGINEER, engineer_created), (DEMO_HR, hr_created)):
            state = "created" if created else "already there"
            self.stdout.write(f"  {account['email']:<24} password: {account['password']:<26} ({state})")
        if not (engineer_created and hr_created):
            self.stdout.write("Accounts that were already there keep whatever password they have now.")
        if hr_changed:
            self.stdout.write(self.style.SUCCESS(f"{DEMO_HR['email']} is in the {services.HR_GROUP_NAME} group."))

    def _ensure_user(self, account):
        user = selectors.user_by_email(account["email"])
        if user is not None:
            return user, False
        user = services.user_create(email=account["email"], password=account["password"], name=account["name"])
        self.stdout.write(self.style.SUCCESS(f"Created {account['email']}."))
        return user, True

    def _fill_engineer_profile(self, user):
        services.profile_update(
            profile=selectors.profile_for(user),
            discipline=Discipline.objects.filter(slug=DEMO_DISCIPLINE_SLUG).first(),
            current_role=Role.objects.filter(slug=DEMO_ROLE_SLUG).first(),
            years_experience=DEMO_YEARS,
        )
