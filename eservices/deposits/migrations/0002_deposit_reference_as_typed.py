"""Deposits keep the reference as typed; the case file is found only among the addressee unit's (issue 11)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_references(apps, schema_editor):
    Deposit = apps.get_model("deposits", "Deposit")
    for deposit in Deposit.objects.select_related("case_file").iterator():
        deposit.reference = deposit.case_file.reference
        deposit.save(update_fields=["reference"])


class Migration(migrations.Migration):
    dependencies = [
        ("casefiles", "0001_initial"),
        ("deposits", "0001_deposits_and_files"),
    ]

    operations = [
        migrations.AddField(
            model_name="deposit",
            name="reference",
            field=models.CharField(default="", max_length=40, verbose_name="case file reference"),
            preserve_default=False,
        ),
        migrations.RunPython(copy_references, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="deposit",
            name="case_file",
            field=models.ForeignKey(
                blank=True,
                help_text="The addressee unit's case file with this reference; empty when the unit has none.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="deposits",
                to="casefiles.casefile",
                verbose_name="case file",
            ),
        ),
    ]
