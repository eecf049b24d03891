from django.db import migrations

from hub.licenses.loader import licenses_load, licenses_unload


def load(apps, schema_editor):
    licenses_load(apps.get_model("licenses", "License"))


def unload(apps, schema_editor):
    licenses_unload(apps.get_model("licenses", "License"))


class Migration(migrations.Migration):

    dependencies = [
        ("licenses", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
