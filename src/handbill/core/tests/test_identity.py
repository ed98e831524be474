"""The full-name check, against real names from many cultures and common non-names.

Tables give named cases; Hypothesis generates plausible names in several
scripts, which must pass, and shows that hiding an invisible character,
a look-alike letter from another script, styled letters or stacked marks
in a passing name makes it fail.
"""

import re
import unicodedata

import pytest
from confusable_homoglyphs.categories import alias as script_of
from confusable_homoglyphs.confusables import confusables_data
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from handbill.core.identity import (
    GENERIC_WORDS,
    HONORIFICS,
    PARTICLES,
    PERSONA_WORDS,
    PLACEHOLDER_WORDS,
    NameIssue,
    name_issue,
    name_problem,
    names_read_alike,
    skeleton,
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
    # Unicode: composed or not, joiners where the script needs them, marks scripts stack.
    "Nguye\u0302\u0303n Va\u0306n An",
    "Ọlábísí Àdébáyọ̀",
    "علی\u200cرضا محمدی",
    "क्\u200dषत्रिय वर्मा",
    "स्वामी विवेकानन्द",
    "สมศักดิ์ ใจดี",
    "שָׁלוֹם כֹּהֵן",
    "山田\u3000太郎",
    "山田はなこ",
    "ジョン・スミス",
    "王 Smith",
    # Whole words in different scripts: a name as its owner writes it.
    "Ольга Petrova",
    "Priya शर्मा",
    "Mª José Fernández",
    # Family names that are also placeholder-like words elsewhere.
    "Christopher Guest",
    "Leon Gast",
    "Mohammed Deif",
]

NOT_NAMES = [
    ("", NameIssue.EMPTY),
    ("   ", NameIssue.EMPTY),
    ("Anonymous", NameIssue.PLACEHOLDER),
    ("anonymous coward", NameIssue.PLACEHOLDER),
    ("Guest", NameIssue.PLACEHOLDER),
    ("Guest User", NameIssue.PLACEHOLDER),
    ("Admin", NameIssue.PLACEHOLDER),
    ("The Administrator", NameIssue.PLACEHOLDER),
    ("Unknown", NameIssue.PLACEHOLDER),
    ("John Doe", NameIssue.PLACEHOLDER),
    ("a reader", NameIssue.PLACEHOLDER),
    ("SocialGuru99", NameIssue.HANDLE),
    ("SocialGuru", NameIssue.HANDLE),
    ("TheRealJohn", NameIssue.HANDLE),
    ("xXgamerXx", NameIssue.HANDLE),
    ("john_doe", NameIssue.HANDLE),
    ("@dana", NameIssue.HANDLE),
    ("@dana Whitfield", NameIssue.HANDLE),
    ("Dana Whitfield 2", NameIssue.HANDLE),
    ("dana.whitfield", NameIssue.HANDLE),
    ("iPhone Fan", NameIssue.HANDLE),
    ("MarketingPro Smith", NameIssue.HANDLE),
    ("Dana #coach", NameIssue.HANDLE),
    ("Growth Hacker Team", NameIssue.HANDLE),
    ("The Real John", NameIssue.HANDLE),
    ("Xxx Yyy", NameIssue.HANDLE),
    ("SEO Guru", NameIssue.HANDLE),
    ("dana@example.com", NameIssue.EMAIL),
    ("Dana <dana@example.com>", NameIssue.EMAIL),
    ("https://example.com", NameIssue.URL),
    ("http://spam.example/cheap", NameIssue.URL),
    ("www.cheap-pills.biz", NameIssue.URL),
    ("example.com", NameIssue.URL),
    ("Dana Whitfield.com", NameIssue.URL),
    ("javascript:alert(1)", NameIssue.URL),
    ("Dana", NameIssue.NOT_FULL),
    ("Dana ", NameIssue.NOT_FULL),
    ("Mr. Smith", NameIssue.NOT_FULL),
    ("de la Cruz", NameIssue.NOT_FULL),
    ("J. K.", NameIssue.NOT_FULL),
    ("李", NameIssue.NOT_FULL),
    ("Whitfield", NameIssue.NOT_FULL),
    ("<script>alert(1)</script>", NameIssue.CHARACTERS),
    ("Dana 🌟 Whitfield", NameIssue.CHARACTERS),
    ("Dana & Whitfield", NameIssue.CHARACTERS),
    ("Dana - Whitfield", NameIssue.CHARACTERS),
    ("A" * 60 + " " + "B" * 60, NameIssue.TOO_LONG),
    # Styled letters are folded to be checked, then refused as styled.
    ("Ａｄｍｉｎ Ｕｓｅｒ", NameIssue.PLACEHOLDER),
    ("ｃｏｆｆｅｅ＿ｌｏｖｅｒ８８", NameIssue.HANDLE),
    ("Ｄａｎａ Ｗｈｉｔｆｉｅｌｄ", NameIssue.STYLED),
    ("𝐃𝐚𝐧𝐚 𝐖𝐡𝐢𝐭𝐟𝐢𝐞𝐥𝐝", NameIssue.STYLED),
    ("𝒟𝒶𝓃𝒶 𝒲𝒽𝒾𝓉𝒻𝒾𝑒𝓁𝒹", NameIssue.STYLED),
    ("ｶﾅｺ ﾀﾅｶ", NameIssue.STYLED),
    ("dana＠example．com", NameIssue.EMAIL),
    # Invisible and format characters.
    ("Dana\u200b Whitfield", NameIssue.INVISIBLE),
    ("Dana Whit\u00adfield", NameIssue.INVISIBLE),
    ("Dana\u200c Whitfield", NameIssue.INVISIBLE),
    ("Dana \u202eWhitfield", NameIssue.INVISIBLE),
    ("\u3164", NameIssue.INVISIBLE),
    ("Dana \u3164Whitfield", NameIssue.INVISIBLE),
    ("Dana\u115f Whitfield", NameIssue.INVISIBLE),
    ("Dana Wh\u034fitfield", NameIssue.INVISIBLE),
    ("Dana\ufe0f Whitfield", NameIssue.INVISIBLE),
    ("Ad\u2060min User", NameIssue.INVISIBLE),
    # Zalgo: marks stacked past what scripts write, struck through or enclosing.
    ("Z̤͔ͧ̑̓ä͖̭̈̇lgo Text", NameIssue.MARKS),
    ("D̷a̸n̴a̵ W̶h̷i̸t̵f̷i̸e̷l̸d̵", NameIssue.MARKS),
    ("Dana\u20dd Whitfield", NameIssue.MARKS),
    # Letters of several scripts: look-alikes.
    ("Dаna Whitfield", NameIssue.MIXED_SCRIPTS),
    ("Αlice Smith", NameIssue.MIXED_SCRIPTS),
    ("Ольга Pеtrova", NameIssue.MIXED_SCRIPTS),
    ("А. Baba", NameIssue.MIXED_SCRIPTS),
    ("Аdmin User", NameIssue.PLACEHOLDER),
    ("Аԁmіn Usеr", NameIssue.PLACEHOLDER),
    # Placeholders in other languages; written without spaces, found inside a name too.
    ("Anónimo García", NameIssue.PLACEHOLDER),
    ("Invité Dupont", NameIssue.PLACEHOLDER),
    ("Gast Benutzer", NameIssue.PLACEHOLDER),
    ("Аноним Петров", NameIssue.PLACEHOLDER),
    ("Гость", NameIssue.PLACEHOLDER),
    ("Администратор", NameIssue.PLACEHOLDER),
    ("مجهول", NameIssue.PLACEHOLDER),
    ("زائر كريم", NameIssue.PLACEHOLDER),
    ("अज्ञात", NameIssue.PLACEHOLDER),
    ("Misafir Kullanıcı", NameIssue.PLACEHOLDER),
    ("Ẩn danh", NameIssue.PLACEHOLDER),
    ("Khách", NameIssue.PLACEHOLDER),
    ("ゲスト", NameIssue.PLACEHOLDER),
    ("名無しさん", NameIssue.PLACEHOLDER),
    ("匿名希望", NameIssue.PLACEHOLDER),
    ("管理员", NameIssue.PLACEHOLDER),
    ("管理員", NameIssue.PLACEHOLDER),
    ("访客", NameIssue.PLACEHOLDER),
    ("匿名用户", NameIssue.PLACEHOLDER),
    ("손님", NameIssue.PLACEHOLDER),
    ("익명", NameIssue.PLACEHOLDER),
    ("관리자", NameIssue.PLACEHOLDER),
]




@pytest.mark.parametrize("name", REAL_NAMES)
def test_real_full_names_pass(name):
    assert name_issue(name) is None


@pytest.mark.parametrize(("name", "issue"), NOT_NAMES)
def test_non_names_are_refused_with_a_reason(name, issue):
    assert name_issue(name) == issue


def test_tables_are_large_enough():
    assert len(REAL_NAMES) >= 60 and len(NOT_NAMES) >= 90


def test_none_counts_as_empty():
    assert name_issue(None) == NameIssue.EMPTY


def test_name_problem_tells_the_commenter():
    assert name_problem("Dana Whitfield") is None
    assert name_problem("SocialGuru99") == NameIssue.HANDLE.for_commenter
    assert "given name and family name" in name_problem("Dana")


@pytest.mark.parametrize("issue", list(NameIssue))
def test_every_issue_has_a_wording_for_the_commenter_and_one_for_the_owner(issue):
    assert issue.for_commenter and issue.for_owner and issue.for_commenter != issue.for_owner
    # The owner's wording speaks of the name, not to the person who gave it.
    assert "your" not in issue.for_owner and not issue.for_owner.startswith(("give", "write"))


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Dana Whitfield", "dana whitfield"),
        ("Dana Whitfield", "  DANA   Whitfield "),
        ("Dana Whitfield", "Dána Whitfield"),
        ("Dana Whitfield", "Dаna Whitfield"),  # Cyrillic а
        ("Dana Whitfield", "Ｄａｎａ Ｗｈｉｔｆｉｅｌｄ"),
        ("Dana Whitfield", "𝐃𝐚𝐧𝐚 𝐖𝐡𝐢𝐭𝐟𝐢𝐞𝐥𝐝"),
        ("Dana Whitfield", "Dana Whit\u200bfield"),
        ("Dana Whitfield", "Dana WhitfieId"),  # capital I for l
        ("Dana Whitfield", "DANA WHITFIELD"),
        ("Ольга Петрова", "ОЛЬГА ПЕТРОВА"),
    ],
)
def test_names_that_read_alike(one, other):
    assert names_read_alike(one, other) and names_read_alike(other, one)


@pytest.mark.parametrize(
    ("one", "other"), [("Dana Whitfield", "Dana Whitman"), ("Dana Whitfield", "Dan Whitfield"), ("李小龍", "李小龙")]
)
def test_different_names_do_not_read_alike(one, other):
    assert not names_read_alike(one, other)


def test_a_name_without_letters_reads_like_no_other():
    assert not names_read_alike("...", "-") and not names_read_alike("", None)


# Plausible names, generated.

NOT_A_NAME_WORD = PLACEHOLDER_WORDS | GENERIC_WORDS | PERSONA_WORDS | HONORIFICS | PARTICLES | {"the"}


NOT_A_NAME_SKELETONS = frozenset(map(skeleton, NOT_A_NAME_WORD))


def is_plausible_word(word):
    """Not a word that stands for no one, and no letter three times in a row (as handles have)."""
    return skeleton(word) not in NOT_A_NAME_SKELETONS and not re.search(r"(.)\1\1", word)


def words_of(consonants, vowels, syllables=(2, 4)):
    syllable = st.tuples(st.sampled_from(consonants), st.sampled_from(vowels)).map("".join)
    return (
        st.lists(syllable, min_size=syllables[0], max_size=syllables[1])
        .map(lambda parts: "".join(parts).capitalize())
        .filter(is_plausible_word)
    )


def names_of(word, size=(2, 3)):
    return st.lists(word, min_size=size[0], max_size=size[1]).map(" ".join)


LATIN_WORD = words_of("bcdfghjklmnprstvz", ["a", "e", "i", "o", "u", "á", "é", "í", "ó", "ú", "à", "è", "ä", "ö",
                                             "ü", "â", "ê", "ô", "ã", "ø", "å", "ñ"])
LATIN_NAME = st.one_of(
    names_of(LATIN_WORD),
    st.tuples(LATIN_WORD, st.sampled_from(["de", "da", "van", "von der", "de la", "bin", "ibn"]), LATIN_WORD).map(
        " ".join
    ),
    st.tuples(LATIN_WORD, LATIN_WORD, LATIN_WORD).map(lambda words: f"{words[0]}-{words[1]} O'{words[2]}"),
    st.tuples(st.sampled_from("ABCDEFGHJKLMNPRSTVW"), LATIN_WORD).map(lambda words: f"{words[0]}. {words[1]}"),
)
CYRILLIC_NAME = names_of(words_of("бвгдклмнпрстфхзжш", "аеиоуыяюэ"))
GREEK_NAME = names_of(words_of("βγδθκλμνπρστφχ", "αεηιουωάέήίόύώ"))
ARABIC_NAME = names_of(
    st.lists(st.sampled_from("بتثجحخدذرزسشصطعغفقكلمنهوي"), min_size=3, max_size=6).map("".join).filter(
        is_plausible_word
    )
)
DEVANAGARI_NAME = names_of(words_of("कखगचजटडतदनपबमयरलवशसह", ["", "ा", "ि", "ी", "ु", "ू", "े", "ै", "ो", "ौ", "्र"]))
HAN_NAME = st.lists(
    st.sampled_from("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋文明华伟芳娜敏静丽强磊军洋勇杰"),
    min_size=2, max_size=4,
).map("".join).filter(is_plausible_word)
KANA = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふほまみむめもやゆよらりるれろ"
JAPANESE_NAME = st.tuples(
    st.sampled_from(["山田", "田中", "佐藤", "鈴木", "高橋", "伊藤", "渡辺", "中村"]),
    st.lists(st.sampled_from(KANA), min_size=2, max_size=3).map("".join),
).map("".join).filter(is_plausible_word)
HANGUL_NAME = st.tuples(
    st.sampled_from("김이박최정강조윤장임한오서신권황안송류홍"),
    st.lists(st.sampled_from("민준서연지우하은도윤예시주원수아현진영"), min_size=1, max_size=2).map("".join),
).map("".join).filter(is_plausible_word)
VIETNAMESE_NAME = st.tuples(
    st.sampled_from(["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô"]),
    st.sampled_from(["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Quang"]),
    st.sampled_from(["An", "Bình", "Châu", "Dũng", "Hạnh", "Hương", "Khánh", "Linh", "Mai", "Phúc", "Thảo", "Yến"]),
    st.sampled_from(["NFC", "NFD"]),
).map(lambda parts: unicodedata.normalize(parts[3], " ".join(parts[:3])))

REAL_NAME = st.one_of(
    LATIN_NAME, CYRILLIC_NAME, GREEK_NAME, ARABIC_NAME, DEVANAGARI_NAME, HAN_NAME, JAPANESE_NAME, HANGUL_NAME,
    VIETNAMESE_NAME,
)
ALPHABETIC_NAME = st.one_of(LATIN_NAME, CYRILLIC_NAME, GREEK_NAME, VIETNAMESE_NAME)

INVISIBLES = [
    "\u200b", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u2066", "\u061c", "\u180e", "\u3164", "\u115f",
    "\u1160", "\uffa0", "\u034f", "\ufe0f", "\U000e0100", "\U000e0041",
]
PROPERTIES = settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.filter_too_much])


@PROPERTIES
@given(REAL_NAME)
def test_plausible_names_from_many_scripts_pass(name):
    assert name_issue(name) is None


@PROPERTIES
@given(REAL_NAME, st.sampled_from(INVISIBLES), st.data())
def test_an_invisible_character_in_a_name_makes_it_fail(name, invisible, data):
    position = data.draw(st.integers(0, len(name)))
    assert name_issue(name[:position] + invisible + name[position:]) == NameIssue.INVISIBLE


def look_alikes_from_other_scripts(letter):
    """Single letters of another script that Unicode's confusables data says look like ``letter``."""
    script = script_of(letter)
    glyphs = (entry["c"].strip("\u200e\u200f") for entry in confusables_data.get(letter, ()))
    return sorted(
        glyph for glyph in glyphs
        if len(glyph) == 1 and glyph.isalpha() and script_of(glyph) not in {script, "COMMON", "INHERITED"}
    )


@PROPERTIES
@given(ALPHABETIC_NAME, st.data())
def test_a_look_alike_letter_from_another_script_makes_a_name_fail(name, data):
    name = unicodedata.normalize("NFC", name)
    positions = [index for index, letter in enumerate(name) if look_alikes_from_other_scripts(letter)]
    assume(positions)
    position = data.draw(st.sampled_from(positions))
    look_alike = data.draw(st.sampled_from(look_alikes_from_other_scripts(name[position])))
    assert name_issue(name[:position] + look_alike + name[position + 1:]) is not None


def styled(name, offset_of_a, offset_of_capital_a):
    return "".join(
        chr(offset_of_a + ord(ch) - ord("a")) if "a" <= ch <= "z"
        else chr(offset_of_capital_a + ord(ch) - ord("A")) if "A" <= ch <= "Z"
        else ch
        for ch in name
    )


@PROPERTIES
@given(
    names_of(words_of("bcdfghjklmnprstvz", "aeiou")),
    st.sampled_from([(0xFF41, 0xFF21), (0x1D41A, 0x1D400), (0x1D5EE, 0x1D5D4), (0x1D68A, 0x1D670)]),
)
def test_a_name_in_styled_letters_fails(name, offsets):
    assert name_issue(styled(name, *offsets)) == NameIssue.STYLED


@PROPERTIES
@given(REAL_NAME, st.lists(st.sampled_from("\u0300\u0301\u0302\u0303\u0308\u0316\u0317\u0323\u0324\u036a"),
                           min_size=4, max_size=12), st.data())
def test_marks_stacked_on_a_letter_make_a_name_fail(name, marks, data):
    positions = [index + 1 for index, letter in enumerate(name) if letter.isalpha()]
    position = data.draw(st.sampled_from(positions))
    assert name_issue(name[:position] + "".join(marks) + name[position:]) == NameIssue.MARKS
