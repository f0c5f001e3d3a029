"""Supporting documents are intake's stored files; rows stored before keep their bytes as unscanned files."""

import django.db.models.deletion
from django.db import migrations, models


def to_stored_files(apps, schema_editor):
    SupportingDocument = apps.get_model("access", "SupportingDocument")
    StoredFile = apps.get_model("intake", "StoredFile")
    for document in SupportingDocument.objects.filter(stored_file__isnull=True):
        document.stored_file = StoredFile.objects.create(
            storage_key=document.file.name,
            policy="supporting_document",
            sha256=document.sha256,
            size=document.size,
            media_type=document.media_type,
            display_name=document.original_filename[:150],
            original_name=document.original_filename,
            scan_status="not_scanned",
        )
        document.save(update_fields=["stored_file"])


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0001_access_requests_and_grants"),
        ("intake", "0001_stored_files_and_rejections"),
    ]

    operations = [
        migrations.AddField(
            model_name="supportingdocument",
            name="stored_file",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="intake.storedfile",
                verbose_name="received file",
            ),
        ),
        migrations.RunPython(to_stored_files, migrations.RunPython.noop),
        migrations.RemoveField(model_name="supportingdocument", name="file"),
        migrations.RemoveField(model_name="supportingdocument", name="media_type"),
        migrations.RemoveField(model_name="supportingdocument", name="original_filename"),
        migrations.RemoveField(model_name="supportingdocument", name="sha256"),
        migrations.RemoveField(model_name="supportingdocument", name="size"),
        migrations.AlterField(
            model_name="supportingdocument",
            name="stored_file",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="intake.storedfile",
                verbose_name="received file",
            ),
        ),
    ]
