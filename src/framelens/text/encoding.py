"""Decoding the bytes of a file as the tool that saved it meant them.

The rule, in order:

1. A byte-order mark names the encoding (UTF-8, UTF-16 or UTF-32, as spreadsheets save
   "Unicode text"); that is not a guess.
1b. Without one, NUL bytes at most odd positions and at almost no even ones (or the other way
   round) are UTF-16 LE (BE): every character below U+0100, spaces and punctuation included,
   has a NUL high byte, and text in no single-byte encoding holds NULs. Such bytes are also
   valid UTF-8 (a NUL is), which is why this comes before step 2: read as UTF-8, "Russia"
   came out as "R\x00u\x00s\x00s...". The encoding is recorded as ``utf-16-le`` or
   ``utf-16-be`` and listed as a guess; bytes with many NULs in neither pattern (UTF-32, a
   binary file) are refused.
2. Bytes that are valid UTF-8 are UTF-8.
3. Bytes that are **mostly UTF-8** are UTF-8 with their few invalid bytes read as Windows-1252
   (:func:`decode_mixed`): scraped and pasted text often mixes the two, a UTF-8 page with a
   paragraph from Word (``India\x92s`` beside UTF-8 curly quotes). Mostly UTF-8 means at least
   one valid multi-byte UTF-8 character, and either no more invalid bytes than such
   characters or a repaired text that reads as Latin script (:func:`reads_as_latin`). Text in
   a single-byte code page has almost no valid multi-byte sequences by chance (none in 250
   English news articles saved as Windows-1252; one in a Russian paragraph saved as cp1251,
   beside 182 invalid bytes), so it goes on to step 4 whole. The encoding is recorded as
   ``utf-8+cp1252`` and the repaired bytes are counted (:attr:`Decoded.note`).
4. Anything else is a guess, recorded as such. **Windows-1252** (the Western single-byte
   encoding that Word, Excel and older sites save) is taken when it decodes the bytes and the
   result reads as Latin-script text (:func:`reads_as_latin`): at most
   :data:`MAX_NON_ASCII_LETTERS` of its letters outside ASCII, no word made mostly of them,
   and no symbol or number sign inside a word. Other scripts read as Windows-1252 fail this
   (Russian comes out as ``Ðîññèÿ``, Polish ``ł`` as ``³`` inside words).
5. Otherwise charset-normalizer's candidates are taken in its order, the first whose text
   passes the same in-word test (its first when none does).

Step 4 comes before charset-normalizer because its pick rests on language statistics that
mean little when a text's non-ASCII bytes are a few dashes and quotes: it read a short
Windows-1252 article as cp775 (``–`` as ``¢``, ``“`` as ``ō``), ``£300 or €350`` as cp437
(``ú300 or Ç350``), and the 9,000-character seed article 002 saved as Windows-1252 as cp850.
The price: Central European and Turkish texts saved in their own Windows code pages (cp1250,
cp1254), whose letters are letters in Windows-1252 too, can be read as Windows-1252; the
guess is listed as a problem, and UTF-8 removes the question.
"""

from __future__ import annotations

import codecs
import contextvars
import unicodedata
from dataclasses import dataclass

from framelens.errors import InputError

#: The encoding guessed first for bytes that are not UTF-8: Windows-1252 (Western).
WESTERN = "cp1252"
#: How a mostly-UTF-8 text whose invalid bytes were read as Windows-1252 is recorded.
MIXED = f"utf-8+{WESTERN}"
#: Latin-script text has at most this share of its letters outside ASCII (French, German or
#: Icelandic prose: under 0.15; any other script read as Windows-1252: close to 1).
MAX_NON_ASCII_LETTERS = 0.3
# Byte-order marks; UTF-32 LE before UTF-16 LE, whose mark it starts with.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
)
# Decoded text with more than this share of control characters is binary, not an article.
_MAX_CONTROL_SHARE = 0.01
# UTF-16 without a byte-order mark (step 1b): at least this share of the bytes at one parity
# are NUL (English UTF-16 LE: every odd byte; Russian: its spaces and digits, about 15%), and
# at most _UTF16_OTHER_SIDE of that share at the other parity (a NUL low byte is U+0000 or
# U+xx00, rare in any script). Counted on the first _UTF16_SAMPLE bytes.
_UTF16_MIN_NULS = 0.05
_UTF16_OTHER_SIDE = 0.1
_UTF16_SAMPLE = 1 << 16
# Symbols and number signs are not letters of a word: one between two letters ("zakoñczy³y")
# means the bytes were read in the wrong code page.
_SYMBOL_CATEGORIES = frozenset({"Sc", "Sk", "Sm", "So", "No"})
# A word of this many letters or more, most of them outside ASCII, is another script misread.
_MIN_WORD = 4


@dataclass(frozen=True)
class Decoded:
    """Decoded text and how it was decoded.

    Attributes
    ----------
    text : str
        The text (a byte-order mark dropped).
    encoding : str
        The codec used (``"utf-8"``, ``"utf-16"``, ``"utf-16-le"``, ``"cp1252"``, ...).
    guessed : bool
        True when neither a byte-order mark nor valid UTF-8 settled the encoding.
    repaired : int
        Invalid bytes of a mostly-UTF-8 text read as Windows-1252 (encoding ``utf-8+cp1252``).
    first_repaired : int or None
        The offset of the first of them in the bytes.
    why : str or None
        What the guess rests on, when it is not the general "not UTF-8, no byte-order mark".
    """

    text: str
    encoding: str
    guessed: bool = False
    repaired: int = 0
    first_repaired: int | None = None
    why: str | None = None

    @property
    def note(self) -> str | None:
        """What a reader of the text should know about its decoding (``None``: nothing)."""
        if self.repaired:
            return (
                f"decoded as {self.encoding}: the bytes are UTF-8 except {self.repaired} "
                f"invalid byte(s) (the first at byte {self.first_repaired}), which were read "
                "as Windows-1252"
            )
        if self.guessed and self.why:
            return f"decoded as {self.encoding}: {self.why}"
        if self.guessed:
            return (
                f"decoded as {self.encoding}: the bytes are not UTF-8 and carry no byte-order "
                "mark, so the encoding is a guess"
            )
        return None


def decode_text(data: bytes, *, source, record=None) -> Decoded:
    """Decode ``data`` by the rule of this module.

    Parameters
    ----------
    data : bytes
        The raw file content.
    source, record
        Where the bytes came from, for error messages.

    Returns
    -------
    Decoded

    Raises
    ------
    InputError
        If the bytes are not text in any encoding (or break the encoding their byte-order
        mark names).
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), name)
            except UnicodeDecodeError as err:
                raise InputError(
                    f"starts with a {name} byte-order mark but is not valid {name} "
                    f"({err.reason} at byte {err.start})",
                    source=source,
                    record=record,
                    hint="re-save the file as UTF-8",
                ) from None
    if b"\x00" in data:
        utf16 = _decode_with_nuls(data, source=source, record=record)
        if utf16 is not None:
            return utf16
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as err:
        utf8_error = err
    mixed = decode_mixed(data)
    if mixed is not None:
        return mixed
    decoded = _guess(data)
    if decoded is None or _control_share(decoded.text) > _MAX_CONTROL_SHARE:
        raise InputError(
            f"cannot decode the bytes as text (not UTF-8: {utf8_error.reason} at byte "
            f"{utf8_error.start}, and no other encoding fits)",
            source=source,
            record=record,
            hint="re-save the file as UTF-8, or check it is a text/HTML file at all",
        )
    return decoded


def utf16_byte_order(data: bytes) -> str | None:
    """``"le"`` or ``"be"`` if ``data`` (with no byte-order mark) looks like UTF-16, else None.

    UTF-16 LE puts the NUL high byte of characters below U+0100 at odd positions, BE at even
    ones; see step 1b of the module docstring for the thresholds.
    """
    sample = data[: _UTF16_SAMPLE - _UTF16_SAMPLE % 2]
    half = len(sample) // 2
    if half == 0:
        return None
    even = sample[0::2].count(0) / half
    odd = sample[1::2].count(0) / half
    if odd >= _UTF16_MIN_NULS and even <= odd * _UTF16_OTHER_SIDE:
        return "le"
    if even >= _UTF16_MIN_NULS and odd <= even * _UTF16_OTHER_SIDE:
        return "be"
    return None


def _decode_with_nuls(data: bytes, *, source, record) -> Decoded | None:
    """Bytes holding NULs (and no byte-order mark): UTF-16 if they look it, ``None`` for a few
    stray NULs (decoded by the usual rule), else refused (step 1b of the module docstring)."""
    order = utf16_byte_order(data)
    if order is not None:
        codec = f"utf-16-{order}"
        ending = "little" if order == "le" else "big"
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as err:
            raise InputError(
                f"looks like UTF-16 {order.upper()} without a byte-order mark (NUL bytes at "
                f"every other position) but is not valid {codec} ({err.reason} at byte "
                f"{err.start})",
                source=source,
                record=record,
                hint="re-save the file as UTF-8",
            ) from None
        why = (
            f"no byte-order mark, but NUL bytes at every other position mark UTF-16 "
            f"({ending}-endian)"
        )
        return Decoded(text, codec, True, why=why)
    nuls = data.count(0)
    if nuls / len(data) > _MAX_CONTROL_SHARE:
        raise InputError(
            f"{nuls} of its {len(data)} bytes are NUL, in no pattern of UTF-16: this is not "
            "text in an encoding framelens reads (UTF-32, or a binary file?)",
            source=source,
            record=record,
            hint="re-save the file as UTF-8, or check it is a text/HTML file at all",
        )
    return None  # a few stray NULs in otherwise good text: decoded by the usual rule


def decode_bytes(data: bytes, *, source, record=None) -> tuple[str, str]:
    """Decode ``data`` (see :func:`decode_text`); return the text and the codec used."""
    decoded = decode_text(data, source=source, record=record)
    return decoded.text, decoded.encoding


# The spans of invalid bytes met by the running decode_mixed (a codec error handler is global,
# so what it records goes to the caller's own context).
_REPAIRS: contextvars.ContextVar[list[tuple[int, int]]] = contextvars.ContextVar("repairs")


def _read_as_western(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: the invalid bytes as Windows-1252 (its five undefined as U+FFFD)."""
    if not isinstance(err, UnicodeDecodeError):
        raise err
    _REPAIRS.get().append((err.start, err.end))
    return err.object[err.start : err.end].decode(WESTERN, errors="replace"), err.end


codecs.register_error("framelens-utf8-cp1252", _read_as_western)


def decode_mixed(data: bytes) -> Decoded | None:
    """UTF-8 with its invalid bytes read as Windows-1252, if the bytes are mostly UTF-8.

    Parameters
    ----------
    data : bytes
        Bytes that are not valid UTF-8 (and carry no byte-order mark).

    Returns
    -------
    Decoded or None
        Encoding :data:`MIXED`, with the repaired bytes counted; ``None`` when the bytes are
        not mostly UTF-8 (step 3 of the module docstring): a single-byte text, to be guessed
        whole.
    """
    token = _REPAIRS.set([])
    try:
        text = data.decode("utf-8", errors="framelens-utf8-cp1252")
        spans = _REPAIRS.get()
    finally:
        _REPAIRS.reset(token)
    repaired = sum(end - start for start, end in spans)
    # Characters from valid multi-byte sequences: the non-ASCII ones less one per repaired
    # byte (an invalid byte is never ASCII, and each is read as one character).
    from_utf8 = len(text) - len(text.encode("ascii", errors="ignore")) - repaired
    if from_utf8 < 1 or (repaired > from_utf8 and not reads_as_latin(text)):
        return None
    return Decoded(text, MIXED, True, repaired, spans[0][0])


def _guess(data: bytes) -> Decoded | None:
    """Windows-1252 if it reads as Latin script, else charset-normalizer's first fit."""
    try:
        text = data.decode(WESTERN)
    except UnicodeDecodeError:  # five byte values are undefined in Windows-1252
        text = None
    if text is not None and reads_as_latin(text):
        return Decoded(text, WESTERN, True)
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    best = next((m for m in matches if not _symbol_in_word(str(m))), matches[0])
    return Decoded(str(best), best.encoding, True)


def reads_as_latin(text: str) -> bool:
    """True if ``text`` reads as Latin-script prose (see the module docstring, step 3).

    At most :data:`MAX_NON_ASCII_LETTERS` of its letters are outside ASCII, no word of four or
    more letters is mostly made of them, and no symbol or number sign sits inside a word.
    """
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return True
    outside = sum(1 for ch in letters if not ch.isascii())
    if outside / len(letters) > MAX_NON_ASCII_LETTERS:
        return False
    for word in "".join(ch if ch.isalpha() else " " for ch in text).split():
        if len(word) >= _MIN_WORD and sum(not ch.isascii() for ch in word) * 2 > len(word):
            return False
    return not _symbol_in_word(text)


def _symbol_in_word(text: str) -> bool:
    for i in range(1, len(text) - 1):
        ch = text[i]
        if (
            not ch.isascii()
            and unicodedata.category(ch) in _SYMBOL_CATEGORIES
            and text[i - 1].isalpha()
            and text[i + 1].isalpha()
        ):
            return True
    return False


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return control / len(text)
