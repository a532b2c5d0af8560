"""Create three demo accounts to try careerpath locally: an engineer, their manager and an HR user.

seed_demo puts the manager at the head of a team of demo engineers, the demo engineer among them.

Running it again changes nothing. It refuses to run unless DEBUG is on, because
the passwords are printed and written in this file.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import selectors, services
from roles.models import Discipline, Role

DEMO_ENGINEER = {"email": "engineer@example.com", "name": "Dana Engineer", "password": "demo-engineer-pass-2026"}
DEMO_MANAGER = {"email": "manager@example.com", "name": "Morgan Manager", "password": "demo-manager-pass-2026"}
DEMO_HR = {"email": "hr@example.com", "name": "Harper HR", "password": "demo-hr-pass-2026"}
# The demo engineer's profile; the discipline and role are used only if the catalog has them.
DEMO_DISCIPLINE_SLUG = "software"
DEMO_ROLE_SLUG = "senior-engineer"
DEMO_YEARS = 6
DEMO_MANAGER_ROLE_SLUG = "engineering-manager"
DEMO_MANAGER_YEARS = 12


class Command(BaseCommand):
    help = "Create a demo engineer, manager and HR user for local use (needs DEBUG=True). Safe to run twice."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "create_demo_users only runs with DEBUG=True (the local settings), because it creates "
                "accounts whose passwords are public. Use careerpath.settings.local, or set DEBUG=True."
            )
        with transaction.atomic():
            engineer, engineer_created = self._ensure_user(DEMO_ENGINEER)
            if engineer_created:
                self._fill_profile(engineer, role=DEMO_ROLE_SLUG, years=DEMO_YEARS)
            manager, manager_created = self._ensure_user(DEMO_MANAGER)
            if manager_created:
                self._fill_profile(manager, role=DEMO_MANAGER_ROLE_SLUG, years=DEMO_MANAGER_YEARS)
            hr, hr_created = self._ensure_user(DEMO_HR)
            hr_changed = services.hr_member_add(user=hr)

        created = {
            DEMO_ENGINEER["email"]: engineer_created,
            DEMO_MANAGER["email"]: manager_created,
            DEMO_HR["email"]: hr_created,
        }
        if not (any(created.values()) or hr_changed):
            self.stdout.write("The demo users already exist; nothing changed.")
        for account in (DEMO_ENGINEER, DEMO_MANAGER, DEMO_HR):
            state = "created" if created[account["email"]] else "already there"
            self.stdout.write(f"  {account['email']:<24} password: {account['password']:<26} ({state})")
        if not all(created.values()):
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

    def _fill_profile(self, user, *, role: str, years: int):
        services.profile_update(
            profile=selectors.profile_for(user),
            discipline=Discipline.objects.filter(slug=DEMO_DISCIPLINE_SLUG).first(),
            current_role=Role.objects.filter(slug=role).first(),
            years_experience=years,
        )
