import sys
from pathlib import Path

import boa
import pytest

sys.path.insert(0, str(Path(__file__).parent))

import cloister_kit  # noqa: E402


@pytest.fixture(scope="module")
def _world_base():
    with boa.env.anchor():
        yield cloister_kit.deploy_world()


@pytest.fixture
def world(_world_base):
    """A deployed world; every test runs inside a snapshot that is reverted afterwards."""
    with boa.env.anchor():
        nodes = list(_world_base.nodes)
        yield _world_base
        _world_base.nodes = nodes


@pytest.fixture
def setup(world):
    """One registered node and a funded requester."""
    node = world.register()
    requester = boa.env.generate_address()
    world.fund(requester)
    return world, node, requester
