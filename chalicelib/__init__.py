"""The client portal's application code.

py_webauthn needs pyOpenSSL installed, and botocore imports ``urllib3.contrib.pyopenssl`` — and with it pyOpenSSL and
cryptography, about 50 ms — whenever it is importable, only to name urllib3's original SSLContext. Nothing here
injects pyOpenSSL into urllib3, so botocore's fallback is that same class: the import is blocked, and the passkey
routes alone pay for cryptography (docs/decisions.md, 38).
"""

import sys

sys.modules.setdefault("urllib3.contrib.pyopenssl", None)  # type: ignore[arg-type]
