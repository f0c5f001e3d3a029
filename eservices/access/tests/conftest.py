import pytest

from .personas import build_world


@pytest.fixture
def world(db):
    return build_world()
