import pytest

from handbill.publishing.tests.sample_site import Site


@pytest.fixture
def site(tmp_path):
    """A small site (two posts, a draft, a published and a held comment) with production settings."""
    return Site(tmp_path / "site")
