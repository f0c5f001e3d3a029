"""Changing the trail behind the application's back, as someone with direct database access could."""

from django.db import connection

TABLES = ("audit_auditevent", "audit_auditcheckpoint")


def tamper(sql, params=()):
    """Run raw SQL on the audit tables; on PostgreSQL first switch off their append-only trigger, as a superuser
    or the tables' owner could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for no deferred check
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
