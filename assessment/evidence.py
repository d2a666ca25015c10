"""Evidence files: private storage, safe names, type and size limits (SPEC §8)."""

import uuid
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.utils.translation import gettext_lazy as _

from common.storage import private_storage

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# Extension -> the first bytes such a file starts with (None: plain text, no signature).
ALLOWED_EVIDENCE = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".txt": None,
    ".csv": None,
}


def evidence_storage() -> Storage:
    """Evidence files (MEDIA_ROOT/evidence, or evidence/ in the bucket) with no public URL: they are
    only served through a checked view (`common.storage`).

    A callable, so that migrations name this function instead of a machine's path.
    """
    return private_storage("evidence")


def evidence_upload_path(answer, filename: str) -> str:
    """A path that reveals nothing and cannot collide: <assessment>/<random><ext>."""
    return f"{answer.assessment_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


def validate_evidence_file(upload) -> None:
    """Refuse files that are too large, of a type we do not take, or whose content lies about its type."""
    extension = Path(upload.name).suffix.lower()
    if extension not in ALLOWED_EVIDENCE:
        allowed = ", ".join(sorted(ext.lstrip(".") for ext in ALLOWED_EVIDENCE))
        raise ValidationError(_("Files of this type are not accepted. Allowed: %(allowed)s.") % {"allowed": allowed})
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    signatures = ALLOWED_EVIDENCE[extension]
    head = upload.read(8)
    upload.seek(0)
    if signatures is not None and not head.startswith(signatures):
        raise ValidationError(_("The file's content does not match its type (%(ext)s).") % {"ext": extension})
