"""Bring the HR dashboard's data up to date and keep its figures: what the beat task does, by hand.

For a setup without a beat (`make run`), and after results were stored without a submit (seed_demo).
"""

from django.core.management.base import BaseCommand

from hr import services


class Command(BaseCommand):
    help = "Index new results, count new answers and work the HR dashboard's figures out again (as the beat does)."

    def handle(self, *args, **options):
        figures = services.dashboard_refresh()
        self.stdout.write(f"Dashboard figures worked out at {figures.computed_at:%Y-%m-%d %H:%M:%S %Z}.")
