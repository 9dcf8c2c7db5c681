"""``python -m sevensenders_sandbox``: serve the sandbox on 127.0.0.1."""

import argparse

import uvicorn

from sevensenders_sandbox.app import (
    DEFAULT_ACCESS_KEY,
    DEFAULT_PORT,
    SandboxConfig,
    create_app,
)
from sevensenders_sandbox.faults import FaultConfig
from sevensenders_sandbox.paths import MODES


def _parser():
    parser = argparse.ArgumentParser(
        prog="sevensenders-sandbox",
        description="Local emulator of the Seven Senders API v2.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="default: 127.0.0.1 (loopback only)"
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument(
        "--db", default=":memory:", help="SQLite file (default: in memory)"
    )
    parser.add_argument(
        "--access-key",
        action="append",
        help=f"accepted access key (repeatable; default: {DEFAULT_ACCESS_KEY})",
    )
    parser.add_argument(
        "--token-ttl", type=int, default=3600, help="token lifetime, seconds"
    )
    parser.add_argument(
        "--paths",
        choices=MODES,
        default="all",
        help="path spellings answered: all (default), seed (the integration "
        "guides' only) or plugins (the WooCommerce/Spryker plugins' only)",
    )
    parser.add_argument("--fault-error-rate", type=float, default=0.0)
    parser.add_argument("--fault-error-status", type=int, default=503)
    parser.add_argument("--fault-latency-ms", type=float, default=0.0)
    parser.add_argument("--fault-rate-limit-burst", type=int, default=0)
    parser.add_argument("--fault-retry-after", type=float, default=1.0)
    parser.add_argument("--fault-drop-rate", type=float, default=0.0)
    parser.add_argument("--fault-seed", type=int, default=None)
    parser.add_argument(
        "--no-access-log",
        dest="access_log",
        action="store_false",
        help="do not log each request (benchmarks: the log costs the server time)",
    )
    return parser


def main(argv=None):
    args = _parser().parse_args(argv)
    faults = FaultConfig(
        error_rate=args.fault_error_rate,
        error_status=args.fault_error_status,
        latency_ms=args.fault_latency_ms,
        rate_limit_burst=args.fault_rate_limit_burst,
        retry_after=args.fault_retry_after,
        drop_rate=args.fault_drop_rate,
        seed=args.fault_seed,
    )
    config = SandboxConfig(
        access_keys=tuple(args.access_key or (DEFAULT_ACCESS_KEY,)),
        token_ttl=args.token_ttl,
        db=args.db,
        faults=faults,
        paths=args.paths,
    )
    print(
        f"Seven Senders sandbox: http://{args.host}:{args.port}/v2 "
        f"(OpenAPI: http://{args.host}:{args.port}/docs), access key: "
        f"{', '.join(config.access_keys)}",
        flush=True,
    )
    uvicorn.run(
        create_app(config),
        host=args.host,
        port=args.port,
        log_level="info",
        http="h11",
        access_log=args.access_log,
    )


if __name__ == "__main__":
    main()
