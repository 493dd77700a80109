"""A practice's branding: its display name (a portal setting), its accent colour and its logo.

The accent colour colours buttons (white text on it) and links (it as text on the page), so it is refused unless both
reach WCAG AA's 4.5:1 — against white and against the page's own light grey. The logo is an upload
(``services.uploads``: presigned POST, checked by its bytes — PNG or JPEG only, up to 256 KB — attached once); it is
public (the sign-in page shows it), so it is served by a redirect to a short presigned link on the app's own origin
(the pages' CSP allows ``img-src 'self'``); its address names it by its hash, so a new logo shows at once. Mail names the practice
but carries no logo: an image in a mail is an external fetch (a tracking pixel, as far as a mail client knows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chalicelib import audit
from chalicelib.auth.features import PracticeFacts
from chalicelib.auth.principals import StaffPrincipal
from chalicelib.domain.practice import Branding, logo_version
from chalicelib.errors import Conflict, DomainError, FieldError, NotFound, ValidationFailed
from chalicelib.observability import get_logger
from chalicelib.services import uploads
from chalicelib.tables import keys
from chalicelib.tables.base import Transaction, get_or_none, transaction
from chalicelib.tables.files import Upload
from chalicelib.tables.organizations import PracticeBranding, SlugClaim

HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
WHITE = "#ffffff"
PAGE = "#f6f7f9"  # the pages' background (frontend/src/styles.css --page): links sit on it
MINIMUM_CONTRAST = 4.5  # WCAG 2.2 AA, normal text
LOGO_SECONDS = 300


# ------------------------------------------------------------------------------------------------ contrast


def relative_luminance(color: str) -> float:
    """WCAG 2.x relative luminance of "#rrggbb"."""
    channels = [int(color[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two "#rrggbb" colours, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def check_accent(color: str) -> str:
    """The colour as "#rrggbb" (lower case), or a 422 that says why it cannot be used."""
    value = color.strip()
    if not HEX_COLOR.match(value):
        message = "Enter a colour as # and six hexadecimal digits, for example #1d4ed8."
        raise ValidationFailed(message, [FieldError("accent_color", message)])
    value = value.lower()
    worst = min(contrast_ratio(value, WHITE), contrast_ratio(value, PAGE))
    if worst < MINIMUM_CONTRAST:
        message = (
            f"This colour is too light to read: white text on it, and it as text on the page, reach only "
            f"{_ratio(worst)}:1, and WCAG AA needs at least {MINIMUM_CONTRAST}:1. Choose a darker shade."
        )
        raise ValidationFailed(message, [FieldError("accent_color", message)])
    return value


def _ratio(value: float) -> str:
    """Rounded down, so a colour just short of 4.5:1 never reads as "4.5:1"."""
    return f"{int(value * 10) / 10:.1f}"


# ------------------------------------------------------------------------------------------------ the logo


def start_logo_upload(principal: StaffPrincipal, *, content_type: str, size: int, filename: str) -> uploads.Ticket:
    return uploads.start(principal, uploads.LOGO, content_type=content_type, size=size, filename=filename)


def set_logo(principal: StaffPrincipal, upload_id: str) -> Branding:
    """Check the uploaded file by its bytes (refused, removed and audited if it is not a PNG or JPEG), then make it
    the practice's logo: the organization record, the slug claim's copy, the upload's claim and the audit event in
    one transaction. The checked bytes are stored at a key only the server writes (the upload's own object is removed),
    and the previous logo's object is removed afterwards (best effort)."""
    record = get_or_none(Upload, keys.org_pk(principal.org_id), keys.upload_sk(upload_id))
    try:
        checked = uploads.check_record(principal, record, uploads.LOGO)
    except ValidationFailed:
        audit.record(principal, "branding.logo", f"upload/{upload_id}", outcome="failure")
        raise
    body = _checked_image(principal, checked, upload_id)
    from chalicelib.adapters import object_keys
    from chalicelib.adapters.storage import get_storage

    content_type, sha256 = checked.content_type, checked.sha256
    stored = get_storage().put(object_keys.practice_logo(principal.org_id, sha256, content_type), body, content_type)
    try:
        with transaction() as tx:
            _write_logo(tx, principal, stored.key, content_type, sha256)
            uploads.attach(tx, checked, f"organization/{principal.org_id}")
            tx.save(audit.event(principal, "branding.logo", f"upload/{upload_id}"))
    except DomainError:
        _forget(stored.key, keep=principal.practice.logo_key)  # this attempt's copy, unless it is the logo already
        raise
    get_storage().delete_quietly(checked.upload.key)
    _forget(principal.practice.logo_key, keep=stored.key)
    return Branding(accent_color=principal.practice.accent_color, logo_version=logo_version(sha256))


MAX_LOGO_PIXELS = (2000, 2000)


def _checked_image(principal: StaffPrincipal, checked: uploads.CheckedFile, upload_id: str) -> bytes:
    """The upload's bytes, if they are the ones checked (the same SHA-256) and of a size a letterhead can draw. A
    compressed image of 256 KB can hold 10,000 × 10,000 pixels — hundreds of MB once decoded for each letterhead; its
    header says how large it is (Pillow reads only the header here). Larger than 2000 × 2000, or bytes changed since
    the check, is refused and removed, like a file that is not an image."""
    import hashlib
    import io

    from PIL import Image

    from chalicelib.adapters.storage import get_storage

    body = get_storage().read(checked.upload.key, uploads.LOGO.max_bytes)
    try:
        with Image.open(io.BytesIO(body)) as image:
            width, height = image.size
    except Exception:  # any failure to read the header means it cannot be a letterhead
        width = height = 0
    fits = 0 < width <= MAX_LOGO_PIXELS[0] and 0 < height <= MAX_LOGO_PIXELS[1]
    if fits and hashlib.sha256(body).hexdigest() == checked.sha256:
        return body
    uploads.refuse(checked.upload)
    audit.record(principal, "branding.logo", f"upload/{upload_id}", outcome="failure")
    message = f"The logo must be at most {MAX_LOGO_PIXELS[0]} × {MAX_LOGO_PIXELS[1]} pixels (this one is {width} × {height})."
    raise ValidationFailed(message, [FieldError("upload_id", message)])


def remove_logo(principal: StaffPrincipal) -> Branding:
    with transaction() as tx:
        _write_logo(tx, principal, None, None, None)
        tx.save(audit.event(principal, "branding.logo_remove", f"organization/{principal.org_id}"))
    _forget(principal.practice.logo_key)
    return Branding(accent_color=principal.practice.accent_color, logo_version=None)


def _write_logo(tx: Transaction, principal: StaffPrincipal, key: str | None, content_type: str | None, sha256: str | None) -> None:
    values = [(PracticeBranding.logo_key, SlugClaim.logo_key, key), (PracticeBranding.logo_type, SlugClaim.logo_type, content_type),
              (PracticeBranding.logo_sha256, SlugClaim.logo_sha256, sha256)]  # fmt: skip
    # The logo it replaces is the one this request read (and will delete): another change meanwhile is a 409, so no
    # object is left behind that nothing points at.
    read = principal.practice.logo_key
    as_read = PracticeBranding.logo_key == read if read else PracticeBranding.logo_key.does_not_exist()
    tx.update(
        PracticeBranding(keys.org_pk(principal.org_id), keys.ORGANIZATION_SK),
        actions=[ours.set(value) if value else ours.remove() for ours, _, value in values],
        condition=PracticeBranding.pk.exists() & as_read,
        label="logo",
    )
    tx.conflicts.setdefault("logo", Conflict("The logo was changed in the meantime. Reload and try again."))
    tx.update(
        SlugClaim(keys.slug_pk(principal.org_slug), keys.SLUG_SK),
        actions=[copy.set(value) if value else copy.remove() for _, copy, value in values],
        condition=SlugClaim.org_id == principal.org_id,
    )


def _forget(key: str | None, keep: str | None = None) -> None:
    """The replaced logo's object: nothing points at it any more (PDFs embed the logo when they are made)."""
    if not key or key == keep:
        return
    from chalicelib.adapters.storage import get_storage

    get_storage().delete_quietly(key)


@dataclass(frozen=True)
class LogoLink:
    url: str


def logo_link(slug: str) -> LogoLink:
    """A short link to a practice's logo, for anyone (its sign-in page shows it): one read of the slug claim."""
    from chalicelib.adapters.storage import get_storage

    claim = get_or_none(SlugClaim, keys.slug_pk(slug.lower()), keys.SLUG_SK)
    if claim is None or not claim.logo_key or not claim.logo_type:
        raise NotFound("This practice has no logo.")
    url = get_storage().presigned_get(claim.logo_key, "logo", claim.logo_type, "inline", seconds=LOGO_SECONDS)
    return LogoLink(url=url)


def logo_bytes(practice: PracticeFacts) -> bytes | None:
    """The logo for a PDF letterhead, or None (none set, or it cannot be read: the letterhead then names the practice
    only — a document is never refused for its logo)."""
    if not practice.logo_key:
        return None
    from chalicelib.adapters.storage import get_storage
    from chalicelib.errors import DomainError

    try:
        body = get_storage().read(practice.logo_key, uploads.LOGO.max_bytes)
    except DomainError:
        get_logger().warning("branding.logo_unreadable", org_id=practice.id)
        return None
    return body
