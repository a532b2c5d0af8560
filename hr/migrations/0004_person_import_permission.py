"""The permission to import people and managers from a CSV file, given to the "HR" group."""

from django.db import migrations

from careerpath.migration_grants import hr_grant


class Migration(migrations.Migration):
    dependencies = [
        ("hr", "0003_scale_statistics"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="person",
            options={
                "permissions": [("import_people", "Can import people and managers from a CSV file")],
                "verbose_name": "engineer",
                "verbose_name_plural": "engineers",
            },
        ),
        hr_grant("hr", ("import_people",)),
    ]
