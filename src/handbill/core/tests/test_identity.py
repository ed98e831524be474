"""The full-name check, against real names from many cultures and common non-names."""

import pytest

from handbill.core.identity import (
    REASON_CHARACTERS,
    REASON_EMAIL,
    REASON_EMPTY,
    REASON_HANDLE,
    REASON_NOT_FULL,
    REASON_PLACEHOLDER,
    REASON_TOO_LONG,
    REASON_URL,
    name_problem,
)

REAL_NAMES = [
    "Dana Whitfield",
    "J. R. Smith",
    "J.R.R. Tolkien",
    "Mary J. Blige",
    "Zoë de la Cruz",
    "Ludwig van Beethoven",
    "Mary-Kate O'Neil",
    "Mary-Kate O’Neil",
    "José Álvarez",
    "María José García-López",
    "Nguyễn Văn An",
    "Ольга Петрова",
    "李小龍",
    "山田太郎",
    "김민준",
    "Li Na",
    "Xi Jinping",
    "Ronald McDonald",
    "Douglas MacArthur",
    "DeShawn Jackson",
    "LeBron James",
    "D'Angelo Russell",
    "Leonardo DiCaprio",
    "LaToya Jackson",
    "W. E. B. DuBois",
    "F. Scott FitzGerald",
    "JaMarcus Russell",
    "Sinéad Ní Chonaill",
    "Björk Guðmundsdóttir",
    "Søren Kierkegaard",
    "Ngũgĩ wa Thiong'o",
    "Chimamanda Ngozi Adichie",
    "محمد علي",
    "राहुल शर्मा",
    "Αλέξανδρος Παπαδόπουλος",
    "דוד לוי",
    "Kamakau ʻĪʻī",
    "Martin Luther King, Jr.",
    "Jean-Luc Picard",
    "Aarav Sharma",
    "Al Gore",
    "Dr. Jane Smith",
    "john smith",
    "Jean DUPONT",
    "Hans von der Leyen",
    "Abdullah bin Hamad",
    "Marie-Thérèse d'Artagnan",
    "Ó Súilleabháin Dónal",
]

NOT_NAMES = [
    ("", REASON_EMPTY),
    ("   ", REASON_EMPTY),
    ("Anonymous", REASON_PLACEHOLDER),
    ("anonymous coward", REASON_PLACEHOLDER),
    ("Guest", REASON_PLACEHOLDER),
    ("Guest User", REASON_PLACEHOLDER),
    ("Admin", REASON_PLACEHOLDER),
    ("The Administrator", REASON_PLACEHOLDER),
    ("Unknown", REASON_PLACEHOLDER),
    ("John Doe", REASON_PLACEHOLDER),
    ("a reader", REASON_PLACEHOLDER),
    ("SocialGuru99", REASON_HANDLE),
    ("SocialGuru", REASON_HANDLE),
    ("TheRealJohn", REASON_HANDLE),
    ("xXgamerXx", REASON_HANDLE),
    ("john_doe", REASON_HANDLE),
    ("@dana", REASON_HANDLE),
    ("@dana Whitfield", REASON_HANDLE),
    ("Dana Whitfield 2", REASON_HANDLE),
    ("dana.whitfield", REASON_HANDLE),
    ("iPhone Fan", REASON_HANDLE),
    ("MarketingPro Smith", REASON_HANDLE),
    ("Dana #coach", REASON_HANDLE),
    ("Growth Hacker Team", REASON_HANDLE),
    ("The Real John", REASON_HANDLE),
    ("Xxx Yyy", REASON_HANDLE),
    ("SEO Guru", REASON_HANDLE),
    ("dana@example.com", REASON_EMAIL),
    ("Dana <dana@example.com>", REASON_EMAIL),
    ("https://example.com", REASON_URL),
    ("http://spam.example/cheap", REASON_URL),
    ("www.cheap-pills.biz", REASON_URL),
    ("example.com", REASON_URL),
    ("Dana Whitfield.com", REASON_URL),
    ("javascript:alert(1)", REASON_URL),
    ("Dana", REASON_NOT_FULL),
    ("Dana ", REASON_NOT_FULL),
    ("Mr. Smith", REASON_NOT_FULL),
    ("de la Cruz", REASON_NOT_FULL),
    ("J. K.", REASON_NOT_FULL),
    ("李", REASON_NOT_FULL),
    ("Whitfield", REASON_NOT_FULL),
    ("<script>alert(1)</script>", REASON_CHARACTERS),
    ("Dana 🌟 Whitfield", REASON_CHARACTERS),
    ("Dana & Whitfield", REASON_CHARACTERS),
    ("Dana - Whitfield", REASON_CHARACTERS),
    ("A" * 60 + " " + "B" * 60, REASON_TOO_LONG),
]


@pytest.mark.parametrize("name", REAL_NAMES)
def test_real_full_names_pass(name):
    assert name_problem(name) is None


@pytest.mark.parametrize(("name", "reason"), NOT_NAMES)
def test_non_names_are_refused_with_a_reason(name, reason):
    assert name_problem(name) == reason


def test_tables_are_large_enough():
    assert len(REAL_NAMES) >= 40 and len(NOT_NAMES) >= 40


def test_none_counts_as_empty():
    assert name_problem(None) == REASON_EMPTY
