import pytest

from handbill_title_typography.smarten import smarten


@pytest.mark.parametrize(
    ("plain", "smart"),
    [
        ('Say "hello" first', "Say “hello” first"),
        ("It's the follow-up", "It’s the follow-up"),
        ("Events -- then what?", "Events – then what?"),
        ("Listen --- really listen", "Listen — really listen"),
        ("Wait...", "Wait…"),
        ("No change here", "No change here"),
    ],
)
def test_titles_get_typographic_punctuation(plain, smart):
    assert smarten(plain) == smart
