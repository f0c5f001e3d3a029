from eservices.intake.tests.conftest import clamd, clamd_socket  # noqa: F401 - the real clamd of the intake tests
