"""Documents attached from a deposit before the depositor was recorded on them get it now (issue 12)."""

from django.db import migrations


def name_depositors(apps, schema_editor):
    DepositFile = apps.get_model("deposits", "DepositFile")
    Document = apps.get_model("casefiles", "Document")
    for item in DepositFile.objects.filter(document__isnull=False).select_related(
        "deposit__depositor", "deposit__company"
    ):
        deposit = item.deposit
        name = f"{deposit.depositor.first_name} {deposit.depositor.last_name}".strip() or deposit.depositor.username
        Document.objects.filter(pk=item.document_id, depositor_name="").update(
            deposited_by=deposit.depositor,
            depositor_name=name[:200],
            depositor_capacity=deposit.capacity,
            depositor_company=deposit.company.name[:200] if deposit.company else "",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("deposits", "0003_received_at"),
        ("casefiles", "0007_document_deposited_by"),
    ]

    operations = [migrations.RunPython(name_depositors, migrations.RunPython.noop)]
