import pytest

from eservices.access.tests.personas import build_world


@pytest.fixture
def world(db):
    return build_world()
