"""Is this a real person's full name? Pure functions, shared by the build, the comment service and the importer.

A full name has at least a given name and a family name, except in scripts
written without spaces (Chinese, Japanese, Korean), where a single run of two
or more characters is a whole name. Handles and screen names are pseudonyms:
digits, underscores, @-prefixes, camelCase run-togethers ("SocialGuru",
"xXgamerXx"). Names from many cultures must pass: initials ("J. R. Smith"),
particles ("Zoë de la Cruz"), hyphens and apostrophes ("Mary-Kate O'Neil"),
inner capitals that are really part of names ("McDonald", "DeShawn", "LeBron"),
accents and any script ("Nguyễn Văn An", "Ольга Петрова", "李小龍").

A name is read as Unicode, not as code points:

* It is checked NFKC-folded, so "Ａｄｍｉｎ Ｕｓｅｒ" is the placeholder "Admin
  User" and "ｃｏｆｆｅｅ＿ｌｏｖｅｒ８８" a handle. A name that passes folded but
  whose letters NFKC changes (full-width, mathematical bold or script letters,
  ligatures, half-width kana) is refused all the same: people write their
  names in ordinary letters, and styled letters are how look-alikes are made.
* Invisible and format characters (Default_Ignorable_Code_Point, Cf: zero-width
  spaces, bidi controls, Hangul fillers, variation selectors…) are refused;
  the zero-width (non-)joiner only where IDNA's CONTEXTJ rules say a script
  needs it, as in Persian "علی‌رضا".
* More combining marks on one letter than a script uses (zalgo) are refused;
  Vietnamese, Thai, Hebrew and Devanagari stack at most three.
* Letters of several scripts in one word are refused ("Аdmin" with a Cyrillic
  "А"), and so is a word whose every letter looks like the name's other script
  ("А. Baba"); whole words that read as themselves pass ("Ольга Petrova").
  Excepted are the mixes Chinese, Japanese and Korean names are written in
  (Han with kana, bopomofo or hangul, each with Latin: UTS #39's "highly
  restrictive" level). Scripts come from the confusable-homoglyphs data.
* Placeholders ("Anonymous", "Гость", "匿名", …) are compared by confusable
  skeleton, so look-alike letters do not hide them, and found inside a name
  written without spaces ("名無しさん").

``name_issue`` says what is wrong as a NameIssue, worded for the person who
gave the name (the comment service tells them) and for the site owner (the
build's and the importer's held reasons). ``names_read_alike`` compares names
as a reader would, for the site owner's reserved name.
"""

import functools
import re
import unicodedata
from enum import Enum

import idna
import regex
from confusable_homoglyphs.categories import alias as script_of
from confusable_homoglyphs.confusables import confusables_data, is_confusable

from .redaction import contains_email_address

MAX_NAME_LENGTH = 100
MAX_MARKS_PER_LETTER = 3


class NameIssue(Enum):
    """What is wrong with a name: ``for_commenter`` tells the person who gave it,
    ``for_owner`` completes "name 'X' is not a real full name: …" for the site owner."""

    EMPTY = ("give your full name", "it is empty")
    TOO_LONG = (f"a name is at most {MAX_NAME_LENGTH} characters", f"it is longer than {MAX_NAME_LENGTH} characters")
    EMAIL = ("an email address is not a name", "it is an email address")
    URL = ("a web address is not a name", "it is a web address")
    HANDLE = (
        "a handle or screen name is a pseudonym; give your real full name",
        "it looks like a handle or screen name",
    )
    PLACEHOLDER = (
        "“Anonymous”, “Guest”, “Admin” and the like are not names",
        "it is a placeholder such as “Anonymous”, “Guest” or “Admin”",
    )
    CHARACTERS = (
        "a name is letters, spaces, hyphens, apostrophes and full stops",
        "it has characters other than letters, spaces, hyphens, apostrophes and full stops",
    )
    NOT_FULL = ("give your given name and family name", "it lacks a given name or a family name")
    INVISIBLE = (
        "a name cannot contain invisible or formatting characters",
        "it contains invisible or formatting characters",
    )
    MARKS = (
        "a letter of your name carries more accents than any language writes",
        "a letter carries more combining marks than any language writes",
    )
    MIXED_SCRIPTS = (
        "write your name in one alphabet; it mixes letters of different scripts, such as Latin and Cyrillic",
        "it mixes letters of different scripts, as look-alike names do",
    )
    STYLED = (
        "write your name in ordinary letters, not styled, full-width or mathematical ones",
        "it is written in styled, full-width or mathematical letters",
    )

    def __init__(self, for_commenter, for_owner):
        self.for_commenter = for_commenter
        self.for_owner = for_owner


# Words that stand in for a name, wherever they appear in it ("Anonymous Coward").
PLACEHOLDER_WORDS = frozenset(
    {
        "anonymous", "anonymus", "anon", "admin", "administrator", "moderator", "webmaster", "sysadmin",
        "noname", "null", "undefined",
        # Spanish, Portuguese, French, German, Italian, Turkish.
        "anónimo", "anônimo", "anonimo", "invitado", "convidado", "anonyme", "invité", "anonym", "ospite",
        "anonim", "misafir",
        # Russian, Arabic, Hindi.
        "аноним", "анонимный", "гость", "админ", "администратор", "модератор",
        "مجهول", "زائر", "अज्ञात", "गुमनाम",
        # Japanese, Chinese, Korean: also found inside a name written without spaces.
        "ゲスト", "匿名", "名無し", "管理人", "管理者", "管理员", "管理員", "访客", "訪客", "游客", "遊客", "匿名用户",
        "손님", "익명", "관리자",
    }
)
# Words that are placeholders only when the whole name is made of such words
# ("Guest User", "Gast Benutzer"): each is also a family name (Christopher
# Guest, Leon Gast, Mohammed Deif) or part of one.
GENERIC_WORDS = frozenset(
    {
        "guest", "user", "unknown", "nobody", "none", "visitor", "reader", "commenter",
        "gast", "benutzer", "nutzer", "besucher", "usuario", "usuário", "utilisateur", "visiteur", "utente",
        "пользователь", "посетитель", "kullanıcı", "ziyaretçi", "khách", "ضيف", "अतिथि",
    }
)
# Whole names that are placeholders although each word could be a name.
PLACEHOLDER_NAMES = frozenset(
    {
        "a reader", "a friend", "a fan", "your name", "full name", "first last",
        "first name last name", "firstname lastname", "name surname", "no name",
        "not given", "not telling", "test user", "test test", "me myself",
        "john doe", "jane doe", "real name", "site owner", "the author", "ẩn danh", "max mustermann",
    }
)
# Words that mark an organisation or persona rather than a person.
PERSONA_WORDS = frozenset(
    {"official", "team", "bot", "guru", "crew", "staff", "support", "company", "inc", "ltd", "llc"}
)
# Honorifics do not count as a given name ("Mr. Smith" is one name).
HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "madam", "madame", "mme", "mlle", "herr", "frau"}
)
# Lowercase particles that sit between given and family names.
PARTICLES = frozenset(
    {
        "de", "da", "di", "du", "del", "della", "dei", "degli", "des", "do", "dos", "das", "la", "le", "lo", "los",
        "las", "van", "von", "der", "den", "ten", "ter", "zu", "y", "e", "bin", "binti", "ibn", "bint", "al", "el",
        "af", "av",
    }
)
# Capitalised prefixes after which a real name carries a second capital:
# McDonald, MacArthur, FitzGerald, DeShawn, LeBron, DiCaprio, LaToya, DuBois,
# VanDyke, JaMarcus, KeShawn, DaShawn, TaNisha.
INNER_CAPITAL_PREFIXES = (
    "Mac", "Mc", "Fitz", "Della", "Del", "De", "Di", "Da", "Du", "Des", "Dos", "La", "Le",
    "Lo", "Van", "Von", "Ten", "Ter", "St", "Ja", "Ke", "Ta", "Sha", "Ty", "Ra", "Re",
)
# The scripts names written in more than one are written in (UTS #39, highly restrictive).
SCRIPT_MIXES = (
    frozenset({"HAN", "HIRAGANA", "KATAKANA", "LATIN"}),
    frozenset({"HAN", "BOPOMOFO", "LATIN"}),
    frozenset({"HAN", "HANGUL", "LATIN"}),
)
# Superscript letters Spanish and Portuguese abbreviate names with ("Mª José").
_ABBREVIATION_LETTERS = frozenset("ªº")
_NO_SCRIPT = frozenset({"COMMON", "INHERITED"})

_APOSTROPHES = "'’ʼ"
_HYPHENS = "-‐‑"
_NAME_PUNCTUATION = set(_APOSTROPHES + _HYPHENS + ".,·・")
_PART_SEPARATORS = re.compile(f"[{re.escape(_APOSTROPHES + _HYPHENS)}.·・]+")
_MARKUP = re.compile(r"[<>&\"=/\\{}();|]")
_URL = re.compile(r"[a-z][a-z0-9+.-]*://|\bwww\.|\b(?:mailto|javascript|vbscript|data):", re.I)
_DOMAIN_TOKEN = re.compile(
    r"[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|biz|io|co|me|dev|app|blog|uk|de|fr|es|it|nl|eu|us|ca|au)"
    r"(?:/\S*)?",
    re.I,
)
# "dana.whitfield", "john.doe": a full stop inside a lowercase run is a handle, not an initial.
_DOTTED_HANDLE = re.compile(r"\.[^\W\d_]", re.U)
_REPEATED_LETTER = re.compile(r"(\w)\1\1", re.I)
_INVISIBLE = regex.compile(r"[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}\p{Co}\p{Cn}\p{Cs}]")
_JOINERS = frozenset("\u200c\u200d")
_GRAPHEME = regex.compile(r"\X")
_COMBINING = regex.compile(r"[\p{Mn}\p{Me}]")
_OVERLAY = 1  # the canonical combining class of marks drawn through a letter
_WRITTEN_WITHOUT_SPACES = regex.compile(r"[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]")
# Words of a look-alike form: look-alike stand-ins may be symbols (Kangxi radicals for Han).
_WORD = regex.compile(r"[^\s\p{P}]+")


def name_issue(name):
    """None when ``name`` is a real full name, else the NameIssue that says why not."""
    name = " ".join(unicodedata.normalize("NFC", name or "").split())
    if not name:
        return NameIssue.EMPTY
    if len(name) > MAX_NAME_LENGTH:
        return NameIssue.TOO_LONG
    if _has_invisible_characters(name):
        return NameIssue.INVISIBLE
    if _has_stacked_marks(name):
        return NameIssue.MARKS
    folded = " ".join(unicodedata.normalize("NFKC", name).split())
    issue = _written_issue(folded)
    if issue:
        return issue
    if _mixes_scripts(folded):
        return NameIssue.MIXED_SCRIPTS
    if any(
        unicodedata.normalize("NFKC", ch) != ch
        for ch in name
        if unicodedata.category(ch)[0] in "LMN" and ch not in _ABBREVIATION_LETTERS
    ):
        return NameIssue.STYLED
    return None


def name_problem(name):
    """None when ``name`` is a real full name, else a short reason for the person who gave it."""
    issue = name_issue(name)
    return issue.for_commenter if issue else None


def _written_issue(name):
    """What is wrong with the letters of NFKC-folded ``name``, or None."""
    if contains_email_address(name):
        return NameIssue.EMAIL
    tokens = name.split(" ")
    if _URL.search(name) or any(_DOMAIN_TOKEN.fullmatch(token) for token in tokens):
        return NameIssue.URL
    if _MARKUP.search(name):
        return NameIssue.CHARACTERS
    if "@" in name or "_" in name or "#" in name or any(ch.isdigit() for ch in name):
        return NameIssue.HANDLE
    if any(match.group()[1].islower() for match in _DOTTED_HANDLE.finditer(name)):
        return NameIssue.HANDLE
    words = [token.strip("".join(_NAME_PUNCTUATION)).casefold() for token in tokens]
    if _is_placeholder(words, tokens):
        return NameIssue.PLACEHOLDER
    if any(not _is_name_character(ch) for ch in name.replace(" ", "")):
        return NameIssue.CHARACTERS
    if PERSONA_WORDS.intersection(words) or words[0] == "the":
        return NameIssue.HANDLE
    for token in tokens:
        if not any(ch.isalpha() for ch in token):
            return NameIssue.CHARACTERS
        if not all(_is_name_part(part) for part in _PART_SEPARATORS.split(token) if part):
            return NameIssue.HANDLE
        if _REPEATED_LETTER.search(token):
            return NameIssue.HANDLE
    if len(tokens) == 1:
        return None if _is_whole_name_without_spaces(tokens[0]) else NameIssue.NOT_FULL
    name_words = [
        word for word, token in zip(words, tokens, strict=True)
        if word not in HONORIFICS and not (token.islower() and word in PARTICLES)
    ]
    if len(name_words) < 2 or all(len(word.replace(".", "")) < 2 for word in name_words):
        return NameIssue.NOT_FULL
    return None


def _has_invisible_characters(name):
    return any(
        not (match.group() in _JOINERS and idna.valid_contextj(name, match.start()))
        for match in _INVISIBLE.finditer(name)
    )


def _has_stacked_marks(name):
    """Zalgo: more combining marks on one letter (decomposed: "ễ" is e with two) than
    scripts use, or marks that strike a letter through (combining class 1, overlay)
    or enclose it, which no script spells with."""
    return any(
        len(_COMBINING.findall(letter)) > MAX_MARKS_PER_LETTER
        or any(unicodedata.combining(ch) == _OVERLAY or unicodedata.category(ch) == "Me" for ch in letter)
        for letter in _GRAPHEME.findall(unicodedata.normalize("NFD", name))
    )


def _mixes_scripts(name):
    """Look-alikes are spelled by mixing scripts: inside a word ("Аdmin" with a Cyrillic А),
    or with a word whose every letter looks like a letter of the name's other script
    ("А. Baba"). Whole words in different scripts that read as themselves are a name as
    its owner writes it ("Ольга Petrova")."""
    words = [(word, _scripts(word)) for word in name.split(" ")]
    if any(len(scripts) > 1 and not _written_together(scripts) for _, scripts in words):
        return True
    every_script = set().union(*(scripts for _, scripts in words))
    if len(every_script) < 2 or _written_together(every_script):
        return False
    return any(_looks_like_another_script(word, every_script - scripts) for word, scripts in words)


def _scripts(word):
    return {script_of(ch) for ch in word if ch.isalpha()} - _NO_SCRIPT


def _written_together(scripts):
    return any(scripts <= mix for mix in SCRIPT_MIXES)


def _looks_like_another_script(word, other_scripts):
    letters = {ch for ch in word if ch.isalpha()}
    look_alikes = is_confusable(word, greedy=True, preferred_aliases=[script.lower() for script in other_scripts])
    return bool(letters) and bool(look_alikes) and letters <= {entry["character"] for entry in look_alikes}


def _is_name_character(ch):
    # Joiners got here only where their script needs them (_has_invisible_characters).
    return unicodedata.category(ch)[0] in "LM" or ch in _NAME_PUNCTUATION or ch in _JOINERS


def _is_name_part(part):
    """A part of a name between hyphens and apostrophes has ordinary capitals.

    "Smith", "smith", "SMITH", "J", "McDonald" and scripts without case pass;
    "SocialGuru", "TheRealJohn", "xXgamerXx" and "iPhone" do not.
    """
    if not any(ch.isupper() or ch.islower() for ch in part):
        return True
    if part.islower() or part.isupper() or _is_capitalized(part):
        return True
    return any(
        part.startswith(prefix) and len(part) > len(prefix) + 1 and _is_capitalized(part[len(prefix):])
        for prefix in INNER_CAPITAL_PREFIXES
    )


def _is_capitalized(part):
    """The first letter with case is a capital, no other one is ("Smith", "ʻĪʻī")."""
    cased = [ch for ch in part if ch.isupper() or ch.islower()]
    return bool(cased) and cased[0].isupper() and not any(ch.isupper() for ch in cased[1:])


def _is_written_without_spaces(text):
    letters = [ch for ch in text if unicodedata.category(ch)[0] == "L"]
    return bool(letters) and all(_WRITTEN_WITHOUT_SPACES.fullmatch(ch) for ch in letters)


def _is_whole_name_without_spaces(token):
    """Chinese, Japanese and Korean names are written as one run: 李小龍, 山田太郎, 김민준."""
    return _is_written_without_spaces(token) and sum(unicodedata.category(ch)[0] == "L" for ch in token) >= 2


# Skeletons: one character for each set of characters that look alike.


def _confusable_classes():
    """{character: the one character that stands for all that look like it}, from the
    confusable-homoglyphs data (Unicode's confusables.txt), single characters only."""
    stand_in = {}

    def find(character):
        while stand_in.get(character, character) != character:
            character = stand_in[character]
        return character

    for character, glyphs in confusables_data.items():
        for glyph in (entry["c"].strip("\u200e\u200f") for entry in glyphs):
            if len(character) == 1 and len(glyph) == 1:
                first, second = find(character), find(glyph)
                if first != second:
                    stand_in[max(first, second)] = min(first, second)
    return {character: find(character) for character in stand_in}


_STAND_IN = _confusable_classes()


def _look_alike_form(text):
    decomposed = unicodedata.normalize("NFKD", text)
    kept = (ch for ch in decomposed if not (_COMBINING.fullmatch(ch) or _INVISIBLE.fullmatch(ch)))
    return "".join(_STAND_IN.get(ch, ch) for ch in kept).casefold()


def skeleton(text):
    """``text`` case-folded, with look-alike characters made the same (UTS #39's
    idea of a skeleton), without accents or invisible characters."""
    return _look_alike_form(unicodedata.normalize("NFKC", text).casefold())


_PLACEHOLDER_WORD_SKELETONS = frozenset(map(skeleton, PLACEHOLDER_WORDS))
_GENERIC_SKELETONS = _PLACEHOLDER_WORD_SKELETONS | frozenset(map(skeleton, GENERIC_WORDS))
_PLACEHOLDER_NAME_SKELETONS = frozenset(map(skeleton, PLACEHOLDER_NAMES))
_PLACEHOLDERS_WITHOUT_SPACES = tuple(word for word in PLACEHOLDER_WORDS if _is_written_without_spaces(word))


def _is_placeholder(words, tokens):
    skeletons = [skeleton(word) for word in words]
    return (
        " ".join(skeletons) in _PLACEHOLDER_NAME_SKELETONS
        or any(word in _PLACEHOLDER_WORD_SKELETONS for word in skeletons)
        or all(word in _GENERIC_SKELETONS for word in skeletons)
        or any(
            placeholder in token
            for token in tokens
            if _is_written_without_spaces(token)
            for placeholder in _PLACEHOLDERS_WITHOUT_SPACES
        )
    )


@functools.lru_cache(maxsize=1024)
def _name_keys(name):
    folded = unicodedata.normalize("NFKC", name)
    # Case-folded first, "DANA" is "Dana"; as written, a capital I is a look-alike
    # of l ("WhitfieId") that case-folding would have made an i.
    forms = (_look_alike_form(folded.casefold()), _look_alike_form(folded))
    return frozenset(" ".join(_WORD.findall(form)) for form in forms) - {""}


def names_read_alike(one, other):
    """Whether two names read as the same name: "Dana Whitfield", "DANA  WHITFIELD",
    "Dána Whitfield", "Dаna Whitfield" with a Cyrillic "а", "Dana WhitfieId" with a
    capital I. A name without letters reads like no other."""
    return bool(_name_keys(one or "") & _name_keys(other or ""))
