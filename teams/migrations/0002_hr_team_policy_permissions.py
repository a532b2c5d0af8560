"""Let the "HR" group view and change the team policy (teams.TeamPolicy, one row), never add or delete it."""

from django.db import migrations

from careerpath.migration_grants import hr_grant


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [hr_grant("teams", ("view_teampolicy", "change_teampolicy"))]
