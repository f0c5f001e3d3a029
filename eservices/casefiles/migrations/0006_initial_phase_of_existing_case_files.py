"""Give every existing case file its first phase: closed case files start "closed" on their closing date (or
their opening date), the others "admissibility" on their opening date. Running it again adds nothing."""

from django.db import migrations


def initial_phases(apps, schema_editor):
    CaseFile = apps.get_model("casefiles", "CaseFile")
    PhaseChange = apps.get_model("casefiles", "PhaseChange")
    with_history = PhaseChange.objects.values("case_file_id")
    rows = []
    for case_file in CaseFile.objects.exclude(pk__in=with_history).iterator(chunk_size=2000):
        closed = case_file.status == "closed"
        phase = "closed" if closed else "admissibility"
        started_on = (case_file.closed_on or case_file.opened_on) if closed else case_file.opened_on
        if case_file.phase != phase:
            CaseFile.objects.filter(pk=case_file.pk).update(phase=phase)
        rows.append(PhaseChange(case_file_id=case_file.pk, phase=phase, started_on=started_on))
        if len(rows) >= 2000:
            PhaseChange.objects.bulk_create(rows)
            rows = []
    PhaseChange.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("casefiles", "0005_phases_origin_provider_region")]

    operations = [migrations.RunPython(initial_phases, migrations.RunPython.noop)]
