"""Is this a real person's full name? A pure function, shared by the build and the comment service.

A full name has at least a given name and a family name, except in scripts
written without spaces (Chinese, Japanese, Korean), where a single run of two
or more characters is a whole name. Handles and screen names are pseudonyms:
digits, underscores, @-prefixes, camelCase run-togethers ("SocialGuru",
"xXgamerXx"). Names from many cultures must pass: initials ("J. R. Smith"),
particles ("Zoë de la Cruz"), hyphens and apostrophes ("Mary-Kate O'Neil"),
inner capitals that are really part of names ("McDonald", "DeShawn", "LeBron"),
accents and any script ("Nguyễn Văn An", "Ольга Петрова", "李小龍").
"""

import re
import unicodedata

MAX_NAME_LENGTH = 100

REASON_EMPTY = "give your full name"
REASON_TOO_LONG = f"a name is at most {MAX_NAME_LENGTH} characters"
REASON_EMAIL = "an email address is not a name"
REASON_URL = "a web address is not a name"
REASON_HANDLE = "a handle or screen name is a pseudonym; give your real full name"
REASON_PLACEHOLDER = "“Anonymous”, “Guest”, “Admin” and the like are not names"
REASON_CHARACTERS = "a name is letters, spaces, hyphens, apostrophes and full stops"
REASON_NOT_FULL = "give your given name and family name"

# Words that stand in for a name, wherever they appear in it ("Guest User").
PLACEHOLDER_WORDS = frozenset(
    {
        "anonymous", "anonymus", "anon", "guest", "admin", "administrator", "moderator", "webmaster", "sysadmin",
        "unknown", "nobody", "noname", "null", "undefined", "none", "nil",
    }
)
# Whole names that are placeholders although each word could be a name.
PLACEHOLDER_NAMES = frozenset(
    {
        "a reader", "a friend", "a fan", "your name", "full name", "first last",
        "first name last name", "firstname lastname", "name surname", "no name",
        "not given", "not telling", "test user", "test test", "me myself",
        "john doe", "jane doe", "real name", "site owner", "the author",
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

_APOSTROPHES = "'’ʼ"
_HYPHENS = "-‐‑"
_NAME_PUNCTUATION = set(_APOSTROPHES + _HYPHENS + ".,·・")
_PART_SEPARATORS = re.compile(f"[{re.escape(_APOSTROPHES + _HYPHENS)}.·・]+")
_MARKUP = re.compile(r"[<>&\"=/\\{}();|]")
_EMAIL = re.compile(r"\S+@\S+\.\S+")
_URL = re.compile(r"[a-z][a-z0-9+.-]*://|\bwww\.|\b(?:mailto|javascript|vbscript|data):", re.I)
_DOMAIN_TOKEN = re.compile(
    r"[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|biz|io|co|me|dev|app|blog|uk|de|fr|es|it|nl|eu|us|ca|au)"
    r"(?:/\S*)?",
    re.I,
)
# "dana.whitfield", "john.doe": a full stop inside a lowercase run is a handle, not an initial.
_DOTTED_HANDLE = re.compile(r"\.[^\W\d_]", re.U)
_REPEATED_LETTER = re.compile(r"(\w)\1\1", re.I)


def name_problem(name):
    """None when ``name`` is a real full name, else a short reason for the person."""
    name = " ".join(unicodedata.normalize("NFC", name or "").split())
    if not name:
        return REASON_EMPTY
    if len(name) > MAX_NAME_LENGTH:
        return REASON_TOO_LONG
    if _EMAIL.search(name):
        return REASON_EMAIL
    tokens = name.split(" ")
    if _URL.search(name) or any(_DOMAIN_TOKEN.fullmatch(token) for token in tokens):
        return REASON_URL
    if _MARKUP.search(name):
        return REASON_CHARACTERS
    if "@" in name or "_" in name or "#" in name or any(ch.isdigit() for ch in name):
        return REASON_HANDLE
    if any(match.group()[1].islower() for match in _DOTTED_HANDLE.finditer(name)):
        return REASON_HANDLE
    words = [token.strip("".join(_NAME_PUNCTUATION)).casefold() for token in tokens]
    if " ".join(words) in PLACEHOLDER_NAMES or PLACEHOLDER_WORDS.intersection(words):
        return REASON_PLACEHOLDER
    if any(not _is_name_character(ch) for ch in name.replace(" ", "")):
        return REASON_CHARACTERS
    if PERSONA_WORDS.intersection(words) or words[0] == "the":
        return REASON_HANDLE
    for token in tokens:
        if not any(ch.isalpha() for ch in token):
            return REASON_CHARACTERS
        if not all(_is_name_part(part) for part in _PART_SEPARATORS.split(token) if part):
            return REASON_HANDLE
        if _REPEATED_LETTER.search(token):
            return REASON_HANDLE
    if len(tokens) == 1:
        return None if _is_whole_name_without_spaces(tokens[0]) else REASON_NOT_FULL
    name_words = [
        word for word, token in zip(words, tokens, strict=True)
        if word not in HONORIFICS and not (token.islower() and word in PARTICLES)
    ]
    if len(name_words) < 2 or all(len(word.replace(".", "")) < 2 for word in name_words):
        return REASON_NOT_FULL
    return None


def _is_name_character(ch):
    return unicodedata.category(ch)[0] in "LM" or ch in _NAME_PUNCTUATION


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


_NO_SPACE_SCRIPTS = ("CJK UNIFIED IDEOGRAPH", "HIRAGANA", "KATAKANA", "HANGUL")


def _is_whole_name_without_spaces(token):
    """Chinese, Japanese and Korean names are written as one run: 李小龍, 山田太郎, 김민준."""
    letters = [ch for ch in token if unicodedata.category(ch)[0] == "L"]
    return len(letters) >= 2 and all(
        unicodedata.name(ch, "").startswith(_NO_SPACE_SCRIPTS) for ch in letters
    )
