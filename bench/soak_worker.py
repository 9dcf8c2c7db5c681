"""One drain worker of the fault soak, in a process of its own (as the cron of a
second Odoo server): started by ``bench/fault_soak.py --processes N``.

Drains the outbox of the database as the scheduler does until the stop file
exists, then prints ``{"drained": N}``.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from _odoo import odoo_parser, open_registry  # noqa: E402


def main():
    parser = odoo_parser(__doc__)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--stop-file", required=True)
    args = parser.parse_args()
    _odoo, registry = open_registry(args)
    from odoo.addons.delivery_sevensenders.tests.soak import (  # noqa: PLC0415
        process_worker,
    )

    print(
        json.dumps(
            {"drained": process_worker(registry, args.batch_size, args.stop_file)}
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
