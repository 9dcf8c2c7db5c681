"""What the benchmarks that run inside a real Odoo (18.0 or 19.0) share: their Odoo and
sandbox options, and opening the database's registry."""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def odoo_parser(doc):
    """An argument parser with ``--odoo-bin``, ``-c``, ``-d`` and ``--sandbox-python``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--odoo-bin", default=os.environ.get("ODOO_BIN"))
    parser.add_argument("-c", "--config", default=os.environ.get("ODOO_RC"))
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument(
        "--sandbox-python",
        default=os.environ.get("SEVENSENDERS_SANDBOX_PYTHON")
        or str(ROOT / ".venv" / "bin" / "python"),
    )
    return parser


def open_registry(args):
    """``(odoo, registry)`` of ``args.database``, Odoo configured from ``args``."""
    if not args.odoo_bin:
        raise SystemExit("give --odoo-bin (or ODOO_BIN)")
    sys.path.insert(0, str(Path(args.odoo_bin).resolve().parent))
    # Odoo is only importable once its path is known; 19.0's ``import odoo``
    # no longer brings its subpackages along
    import odoo  # noqa: PLC0415
    import odoo.api  # noqa: PLC0415, F401
    import odoo.modules.registry  # noqa: PLC0415, F401
    import odoo.tools  # noqa: PLC0415, F401

    odoo_args = ["-d", args.database, "--log-level=warn"]
    if args.config:
        odoo_args[:0] = ["-c", args.config]
    odoo.tools.config.parse_config(odoo_args)
    # this repository's addons, whatever the configuration says
    paths = [p for p in (odoo.tools.config.get("addons_path") or "").split(",") if p]
    if str(ROOT) not in paths:
        odoo.tools.config["addons_path"] = ",".join([str(ROOT), *paths])
    return odoo, odoo.modules.registry.Registry(args.database)
