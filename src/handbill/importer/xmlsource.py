"""Parse an export file into an ElementTree, safely, with positions in errors.

Exports are untrusted files from elsewhere, so the parser refuses a document
type declaration (no export ever carries one; it is how entity-expansion and
external-entity attacks start) and never fetches anything. expat reports the
line and column of a malformed or truncated file, which ``ExportError``
passes on so the owner can open the file at the right place.
"""

from pathlib import Path
from xml.etree.ElementTree import TreeBuilder
from xml.parsers import expat


class ExportError(ValueError):
    """An export that cannot be read; the message names the file and the position."""

    def __init__(self, path, reason, line=None, column=None):
        self.path = str(path)
        self.reason = reason
        self.line = line
        self.column = column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(f"{self.path}: {where}{reason}")


# expat's errors for input that stops inside a tag, a CDATA section or an element.
_ERRORS_AT_END_OF_INPUT = {
    expat.errors.XML_ERROR_NO_ELEMENTS,
    expat.errors.XML_ERROR_UNCLOSED_TOKEN,
    expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION,
    expat.errors.XML_ERROR_PARTIAL_CHAR,
}


class _DoctypeRefused(Exception):
    pass


def _qualified(name):
    # expat with namespace_separator="}" gives "uri}local"; ElementTree spells it "{uri}local".
    return "{" + name if "}" in name else name


def parse_export_bytes(data, path="<export>"):
    """The root Element of the XML document ``data`` (bytes); ExportError if it is not one."""
    builder = TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse_doctype(*_args):
        raise _DoctypeRefused

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.StartElementHandler = lambda name, attributes: builder.start(
        _qualified(name), {_qualified(key): value for key, value in attributes.items()}
    )
    parser.EndElementHandler = lambda name: builder.end(_qualified(name))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        reason = expat.ErrorString(error.code)
        if reason in _ERRORS_AT_END_OF_INPUT:
            reason += " (the file ends too early: is it truncated?)"
        raise ExportError(path, f"not well-formed XML: {reason}", error.lineno, error.offset + 1) from None
    except _DoctypeRefused:
        raise ExportError(
            path,
            "the file declares a document type (<!DOCTYPE>), which WordPress and Blogger "
            "exports never do; refusing to read it",
            parser.CurrentLineNumber,
            parser.CurrentColumnNumber + 1,
        ) from None
    return builder.close()


def parse_export(path):
    """The root Element of the export file at ``path``."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ExportError(path, f"cannot be read: {error.strerror}") from None
    if not data.strip():
        raise ExportError(path, "the file is empty")
    return parse_export_bytes(data, path)
