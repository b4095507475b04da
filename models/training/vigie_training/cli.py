"""`npm run train -- [command] [options]`: train (the default), validate, bench, promote, rollback."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import registry
from .data import DataValidationError, Limits, read_dataset
from .lightgbm_model import LightgbmOptions
from .logistic_model import LogisticOptions
from .pipeline import DEFAULT_ROWS, DEFAULT_SEED, REPO_ROOT, TrainingError, TrainOptions, run

COMMANDS = ("train", "validate", "promote", "rollback", "bench")


def _positive(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="npm run train --",
        description=__doc__,
        epilog="Each command has --help, e.g. `npm run train -- train --help` for the training options.",
    )
    commands = parser.add_subparsers(dest="command")

    train = commands.add_parser("train", help="train the three packages and register them (the default command)")
    train.add_argument(
        "--data",
        type=Path,
        help="training CSV (schema fields + TARGET; extra columns ignored). "
        "Default: `vigie simulate applicants --rows ROWS --seed SEED`, cached in .vigie/training-data/",
    )
    train.add_argument(
        "--rows", type=_positive, default=DEFAULT_ROWS, help="rows of simulated data (default %(default)s)"
    )
    train.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help="seed of the simulation, models and samples (default %(default)s)",
    )
    train.add_argument(
        "--out",
        type=Path,
        default=REPO_ROOT / "models",
        help="models directory holding registry.json (default models/)",
    )
    train.add_argument("--name", default="credit-default", help="registered model name (default %(default)s)")
    train.add_argument(
        "--no-register", action="store_true", help="write the packages under --out without touching registry.json"
    )
    train.add_argument(
        "--promote",
        action="store_true",
        help="also point champion, fallback and challenger at the new "
        "LightGBM, logistic regression and tensorized versions (first release)",
    )
    train.add_argument("--by", default="training", help="who promotes, with --promote (default %(default)s)")
    train.add_argument("--reason", default="", help='why, with --promote (default "first release")')
    train.add_argument(
        "--trees",
        type=_positive,
        default=LightgbmOptions.num_boost_round,
        help="most LightGBM trees (default %(default)s)",
    )
    train.add_argument(
        "--leaves",
        type=_positive,
        default=LightgbmOptions.num_leaves,
        help="most leaves per tree (default %(default)s)",
    )
    train.add_argument(
        "--max-depth", type=_positive, default=LightgbmOptions.max_depth, help="most tree levels (default %(default)s)"
    )
    train.add_argument(
        "--learning-rate",
        type=float,
        default=LightgbmOptions.learning_rate,
        help="LightGBM learning rate (default %(default)s)",
    )
    train.add_argument(
        "--min-data-in-leaf", type=_positive, default=LightgbmOptions.min_data_in_leaf, help="default %(default)s"
    )
    train.add_argument(
        "--threads",
        type=_positive,
        default=LightgbmOptions.num_threads,
        help="LightGBM threads; fixed so results do not depend on the machine (default %(default)s)",
    )
    train.add_argument(
        "--lr-c",
        type=float,
        default=LogisticOptions.c,
        help="inverse L2 strength of the logistic regression (default %(default)s)",
    )
    train.add_argument(
        "--min-rows", type=_positive, default=Limits.min_rows, help="smallest data set accepted (default %(default)s)"
    )
    train.add_argument(
        "--min-defaults",
        type=_positive,
        default=Limits.min_positives,
        help="fewest TARGET=1 rows accepted (default %(default)s)",
    )

    validate = commands.add_parser("validate", help="only validate a training CSV and print the report")
    validate.add_argument("--data", type=Path, required=True)
    validate.add_argument("--min-rows", type=_positive, default=Limits.min_rows)
    validate.add_argument("--min-defaults", type=_positive, default=Limits.min_positives)

    bench = commands.add_parser("bench", help="print the scoring throughput of packages with ONNX Runtime (rows/s)")
    bench.add_argument("--models", type=Path, default=REPO_ROOT / "models", help="models directory (default models/)")
    bench.add_argument("--name", default="credit-default")
    bench.add_argument("--versions", default="1,2,3", help="comma-separated versions (default %(default)s)")
    bench.add_argument("--data", type=Path, required=True, help="applicant CSV to score")
    bench.add_argument("--rows", type=_positive, default=100_000, help="rows scored per pass (default %(default)s)")
    bench.add_argument("--batch", type=_positive, default=4096, help="rows per run() call (default %(default)s)")
    bench.add_argument("--repeats", type=_positive, default=3, help="passes; the fastest counts (default %(default)s)")

    for action in ("promote", "rollback"):
        sub = commands.add_parser(action, help=f"{action} an alias in registry.json (recorded in its history)")
        sub.add_argument("--models", type=Path, default=REPO_ROOT / "models", help="models directory (default models/)")
        sub.add_argument("--name", default="credit-default")
        sub.add_argument("--alias", required=True, choices=registry.ALIASES)
        if action == "promote":
            sub.add_argument("--version", required=True)
        sub.add_argument("--by", required=True, help="who makes the change")
        sub.add_argument("--reason", required=True, help="why")
    return parser


def _train(args: argparse.Namespace) -> int:
    options = TrainOptions(
        data=args.data,
        rows=args.rows,
        seed=args.seed,
        out=args.out,
        name=args.name,
        register=not args.no_register,
        promote=args.promote,
        by=args.by,
        reason=args.reason,
        limits=Limits(args.min_rows, args.min_defaults),
        lightgbm=LightgbmOptions(
            num_boost_round=args.trees,
            num_leaves=args.leaves,
            max_depth=args.max_depth,
            learning_rate=args.learning_rate,
            min_data_in_leaf=args.min_data_in_leaf,
            num_threads=args.threads,
        ),
        logistic=LogisticOptions(c=args.lr_c),
    )
    for result in run(options):
        metrics = ", ".join(f"{k}={v:.4f}" for k, v in result.metrics.items())
        print(
            f"{result.kind}: version {result.version} ({result.status}) at {result.path}: {metrics}; "
            f"parity max {result.parity['max_abs_diff']:.2e}"
        )
    return 0


def _bench(args: argparse.Namespace) -> int:
    from .bench import bench

    packages = [args.models / args.name / v.strip() for v in args.versions.split(",") if v.strip()]
    print("ONNX Runtime (Python, CPU) throughput; shared 2-core machine: figures move with the load.")
    for row in bench(packages, args.data, args.rows, args.batch, (1, 2), args.repeats):
        print(
            f"{row['kind']:<22} threads={row['threads']} batch={row['batch']}: {row['rows_per_s']:>10,.0f} rows/s "
            f"({row['rows_per_cpu_s']:,.0f} rows per CPU-second)"
        )
    return 0


def _alias(args: argparse.Namespace) -> int:
    with registry.locked(args.models):
        document = registry.load(args.models)
        if args.command == "promote":
            entry = registry.promote(document, args.name, args.alias, args.version, args.by, args.reason)
        else:
            entry = registry.rollback(document, args.name, args.alias, args.by, args.reason)
        registry.save(args.models, document)
    print(json.dumps(entry))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS + ("-h", "--help"):
        argv.insert(0, "train")
    args = _parser().parse_args(argv)
    try:
        if args.command == "train":
            return _train(args)
        if args.command == "bench":
            return _bench(args)
        if args.command == "validate":
            _, report = read_dataset(args.data, Limits(args.min_rows, args.min_defaults))
            print(report.render())
            return 0
        return _alias(args)
    except DataValidationError as error:
        print(error.report.render(), file=sys.stderr)
        return 2
    except (TrainingError, registry.RegistryError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
