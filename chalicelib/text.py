"""Text that may be stored: no unpaired UTF-16 surrogates and no control characters, checked at the edge.

One bad string once made a record unusable (stored with 200, then every read that re-encoded it failed). Every JSON
body and query string passes ``check_strings`` before validation; newline, carriage return and tab are allowed
there (long answers, messages), and single-line fields refuse them too through the ``Line`` type.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator

from chalicelib.errors import FieldError, ValidationFailed

# C0 controls except \t \n \r, DEL, C1 controls, lone surrogates, and the Unicode non-characters U+FFFE/U+FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("[\t\n\r\u2028\u2029]")


def check_strings(value: Any, where: str = "") -> None:
    """Raise a 422 naming the first field whose text holds a forbidden character (recursing into lists and objects)."""
    if isinstance(value, str):
        if _FORBIDDEN.search(value):
            _refuse(where or "body", "This text contains characters that cannot be stored (control characters or broken Unicode).")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            label = f"{where}.{key}" if where else str(key)
            if isinstance(key, str) and _FORBIDDEN.search(key):
                _refuse(where or "body", "A field name contains characters that cannot be stored.")
            check_strings(item, label)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_strings(item, f"{where}.{index}" if where else str(index))


def single_line(value: str) -> str:
    if _LINE_BREAKS.search(value):
        raise ValueError("Use a single line here (no line breaks or tabs).")
    return value


Line = Annotated[str, AfterValidator(single_line)]


def _refuse(field: str, message: str) -> None:
    raise ValidationFailed(message, [FieldError(field, message)])
