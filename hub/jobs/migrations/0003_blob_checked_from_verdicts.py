"""Content that already has a final verdict counts as checked (Blob.checked_at)."""

from django.db import migrations
from django.db.models import Exists, OuterRef
from django.utils import timezone


def forwards(apps, schema_editor):
    Blob = apps.get_model("storage", "Blob")
    BlobVerdict = apps.get_model("jobs", "BlobVerdict")
    Blob.objects.filter(
        Exists(BlobVerdict.objects.filter(blob_id=OuterRef("pk"))),
        checked_at__isnull=True,
    ).update(checked_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0002_evals"),
        ("storage", "0003_blob_checked_at"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
