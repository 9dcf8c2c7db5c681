"""Make the client importable when the sandbox runs from a checkout: the client
package lives inside the addon (``delivery_sevensenders/sevensenders``)."""

import sys
from pathlib import Path

try:
    import sevensenders  # noqa: F401  the client, shared reference data and schemas
except ImportError:
    sys.path.insert(
        0, str(Path(__file__).resolve().parent.parent / "delivery_sevensenders")
    )
