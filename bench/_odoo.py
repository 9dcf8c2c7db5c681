"""What the benchmarks that run inside a real Odoo (18.0 or 19.0) share: their Odoo and
sandbox options, and opening the database's registry."""

import argparse
import os
import shutil
import sys
from contextlib import closing, contextmanager
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


def configure(args):
    """Odoo, configured from ``args`` (its addons path with this repository's)."""
    if not args.odoo_bin:
        raise SystemExit("give --odoo-bin (or ODOO_BIN)")
    sys.path.insert(0, str(Path(args.odoo_bin).resolve().parent))
    # Odoo is only importable once its path is known; 19.0's ``import odoo``
    # no longer brings its subpackages along
    import odoo  # noqa: PLC0415
    import odoo.api  # noqa: PLC0415, F401
    import odoo.modules.registry  # noqa: PLC0415, F401
    import odoo.tools  # noqa: PLC0415, F401

    if getattr(odoo.tools.config, "_bench_configured", False):
        return odoo  # once: Odoo's configuration is not parsed twice
    odoo.tools.config._bench_configured = True
    odoo_args = ["-d", args.database, "--log-level=warn"]
    if args.config:
        odoo_args[:0] = ["-c", args.config]
    odoo.tools.config.parse_config(odoo_args)
    # this repository's addons, whatever the configuration says (a string of
    # comma-separated paths on 18.0, a list on 19.0)
    configured = odoo.tools.config.get("addons_path") or []
    if isinstance(configured, str):
        paths = [p for p in configured.split(",") if p]
        if str(ROOT) not in paths:
            odoo.tools.config["addons_path"] = ",".join([str(ROOT), *paths])
    elif str(ROOT) not in configured:
        odoo.tools.config["addons_path"] = [str(ROOT), *configured]
    return odoo


def open_registry(args):
    """``(odoo, registry)`` of ``args.database``, Odoo configured from ``args``."""
    odoo = configure(args)
    return odoo, odoo.modules.registry.Registry(args.database)


@contextmanager
def throwaway_copy(args):
    """For a bench that commits, as the scheduler does: ``args.database`` names
    a copy of the database while the block runs (Odoo's own duplication, the
    filestore with it); the copy is dropped afterwards, the original is left
    as it was."""
    odoo = configure(args)
    import odoo.service.db  # noqa: PLC0415, F811 (configure imported odoo)

    source = args.database
    copy = args.database = f"{source}_bench_{os.getpid()}"
    odoo.service.db.exp_duplicate_database(source, copy)
    try:
        yield copy
    finally:
        args.database = source
        # not exp_drop: it drops only the databases Odoo lists, and with -d
        # that is the original alone
        odoo.modules.registry.Registry.delete(copy)
        odoo.sql_db.close_db(copy)
        with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
            cr._cnx.autocommit = True
            cr.execute(
                odoo.tools.SQL("DROP DATABASE %s", odoo.tools.SQL.identifier(copy))
            )
        shutil.rmtree(odoo.tools.config.filestore(copy), ignore_errors=True)


def run_rolled_back(args, run):
    """``run(env, args, url)`` as the superuser in one transaction of
    ``args.database`` that is rolled back, with a sandbox started for it in its
    own process (``args.sandbox_python``), stopped afterwards."""
    from _sandbox import start_sandbox  # noqa: PLC0415 - bench/ is the script's folder

    _odoo, registry = open_registry(args)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    proc, url = start_sandbox(args.sandbox_python)
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            try:
                run(env, args, url)
            finally:
                cr.rollback()
    finally:
        proc.terminate()
        proc.wait(10)
