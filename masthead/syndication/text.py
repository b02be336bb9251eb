"""Make any stored text safe to put in an XML 1.0 document or a UTF-8 JSON body."""

import re

# XML 1.0 section 2.2, production [2] Char: the only characters an XML document may hold.
# Everything else (C0 controls but tab/newline/return, lone surrogates, U+FFFE/U+FFFF)
# makes a parser stop, and lone surrogates cannot even be encoded as UTF-8.
XML_INVALID_CHARS = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(value):
    """Return value as a string without the characters XML 1.0 forbids (None stays None)."""
    if value is None:
        return None
    return XML_INVALID_CHARS.sub("", str(value))
