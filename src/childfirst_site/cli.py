"""Command line: `python build.py [build|parse|serve] …`. Errors for people, tracebacks for bugs."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__, interrupts
from .errors import BuildFailed, ContentError

COMMANDS = ("build", "parse", "serve", "check")

# NumPy's OpenBLAS starts a thread per core when it loads, and they spin waiting for work
# the build never gives them (it multiplies no dense matrices; worker processes share the
# cores): on two cores, 0.04 s of a one-edit build. Set before NumPy loads; an explicit
# setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


_PUBLISH_INTO = "folder to publish the site into (default: public); replaced only when the build succeeds"


def _add_build_options(parser: argparse.ArgumentParser, out: Path | None = Path("public"),
                       out_help: str = _PUBLISH_INTO) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"),
                        help="folder with site.yaml, posts/, sources/ and pages/ (default: content)")
    parser.add_argument("--out", type=Path, default=out, help=out_help)
    parser.add_argument("--templates", type=Path, default=Path("templates"), help="Jinja templates (default: templates)")
    parser.add_argument("--static", type=Path, default=Path("static"), help="static assets copied as they are (default: static)")
    parser.add_argument("--base-url", help="override site.yaml's base_url, e.g. http://127.0.0.1:8000/")
    parser.add_argument("--drafts", action="store_true", help="include drafts and future-dated posts")
    parser.add_argument("--strict", action="store_true", help="treat every warning as an error")
    parser.add_argument("--no-search", dest="search", action="store_false",
                        help="skip the search index (faster previews; /search/ then finds nothing)")
    parser.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                        help="worker processes for reading and rendering (default: one per core)")
    parser.add_argument("--no-cache", dest="cache", action="store_false",
                        help="read every source again and write every file (the cache is .cache/build "
                             "beside the content folder)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks for content errors")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=Path(sys.argv[0]).name or "build.py",
        description="Build the Children First site from content/ into public/. "
                    "With no command, 'build' runs.",
    )
    parser.add_argument("--version", action="version", version=f"childfirst-site {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build_parser = commands.add_parser("build", help="build the site (the default)",
                                       description="Build the site into --out, atomically.")
    _add_build_options(build_parser)
    parse_parser = commands.add_parser("parse", help="print one source as a structured post",
                                       description="Read one source (raw .txt/.html page with its sidecar, "
                                                   "or a Markdown post) and print the structured post.")
    parse_parser.add_argument("file", type=Path, help="the source file")
    parse_parser.add_argument("--json", action="store_true", help="print JSON (the default and only format)")
    parse_parser.add_argument("--content", type=Path, default=Path("content"),
                              help="content folder whose site.yaml declares the topics (default: content)")
    parse_parser.add_argument("--debug", action="store_true", help="show Python tracebacks")
    check_parser = commands.add_parser("check", help="check every internal link, anchor and asset in the built site",
                                       description="Check that every internal link, anchor, image and asset "
                                                   "reference in --out resolves; list the broken ones.")
    check_parser.add_argument("--out", type=Path, default=Path("public"), help="the built site (default: public)")
    check_parser.add_argument("--content", type=Path, default=Path("content"),
                              help="content folder whose site.yaml gives the base URL (default: content)")
    check_parser.add_argument("--base-url", help="the base URL the site was built with, if not site.yaml's")
    check_parser.add_argument("--debug", action="store_true", help="show Python tracebacks")
    serve_parser = commands.add_parser("serve", help="build, serve on 127.0.0.1, rebuild on every change",
                                       description="Build the site, serve --out on 127.0.0.1, and rebuild "
                                                   "(incrementally) whenever content, templates or static "
                                                   "files change; open pages reload by themselves.")
    # A preview's pages link to the preview server: built into public/, they would be
    # published so by whoever published public/ before building it again.
    _add_build_options(serve_parser, None, "folder to build the preview into (default: .cache/preview beside "
                                           "the content folder; public/ is left as the last build left it)")
    serve_parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    return parser


def _options(args: argparse.Namespace, progress=None, memo=None):  # type: ignore[no-untyped-def]
    from .pipeline import BuildOptions
    return BuildOptions(content_dir=args.content, out_dir=args.out, templates_dir=args.templates,
                        static_dir=args.static, base_url=args.base_url, drafts=args.drafts, strict=args.strict,
                        search=args.search, workers=args.jobs,
                        cache_dir=args.content.resolve().parent / ".cache" / "build" if args.cache else None,
                        progress=progress, process_ends=args.command == "build" and args.process_ends, memo=memo)


def _run_build(args: argparse.Namespace) -> int:
    from .pipeline import build
    from .report import ProgressBar
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() and not args.quiet else None
    try:
        report = build(_options(args, bar))
    finally:
        if bar is not None:
            bar.clear()
    _print_report(report, args.quiet)
    return 0


def _print_report(report, quiet: bool) -> None:  # type: ignore[no-untyped-def]
    if quiet:
        for warning in report.warnings:
            print(f"warning: {warning.format()}", file=sys.stderr, flush=True)
    else:
        print(report.format(), flush=True)


def _print_errors(exc: ContentError | BuildFailed) -> list[ContentError]:
    """Each error of a failed build on its own line; returns them."""
    errors: list[ContentError] = exc.errors if isinstance(exc, BuildFailed) else getattr(exc, "errors", [exc])
    for error in errors:
        print(f"error: {error.format()}", file=sys.stderr, flush=True)
    return errors


def _run_parse(args: argparse.Namespace) -> int:
    from .parse_json import parse_file, post_record
    from .sources.loader import load_config
    config = None
    if (args.content / "site.yaml").is_file():
        config = load_config(args.content)
    if not args.file.is_file():
        raise ContentError(str(args.file), "a folder, not a source file" if args.file.is_dir() else "no such file",
                           hint="give one .txt, .html or .md file" if args.file.is_dir() else None)
    post, warnings = parse_file(args.file, config)
    for warning in warnings:
        print(f"warning: {warning.format()}", file=sys.stderr)
    print(json.dumps(post_record(post), ensure_ascii=False, indent=2))
    return 0


def _run_check(args: argparse.Namespace) -> int:
    from .check import check_site
    from .sources.loader import load_config
    if not (args.out / "index.html").is_file():
        raise ContentError(str(args.out), "no built site here", hint="run the build first")
    base_url = args.base_url or load_config(args.content).base_url
    broken, checked = check_site(args.out, base_url)
    for reference in broken:
        print(f"broken: {reference.format()}")
    print(f"checked {checked} internal references in {args.out}: {len(broken)} broken")
    return 1 if broken else 0


def _build_for_preview(args: argparse.Namespace, preview, memo):  # type: ignore[no-untyped-def]
    """The build's report, or None if it failed (the errors shown on the pages too)."""
    from .pipeline import build
    from .rebuilds import settle
    try:
        report = build(_options(args, memo=memo))
    except (BuildFailed, ContentError) as failed:
        errors = _print_errors(failed)
        print(f"build failed: {len(errors)} error(s); " + ("still serving the last good site"
              if (args.out / "index.html").is_file() else "no preview until a build succeeds"),
              file=sys.stderr, flush=True)
        preview.failed([error.format() for error in errors])
        return None
    _print_report(report, args.quiet)
    preview.succeeded()
    settle(_options(args, memo=memo))   # while the page reloads
    return report


def _plan_ahead(args: argparse.Namespace, preview, memo) -> None:  # type: ignore[no-untyped-def]
    """After a build that found nothing changed, the site planned while the editor reads
    (rebuilds.plan_ahead); a save that build found and published is shown as a rebuild is."""
    from .rebuilds import plan_ahead
    report = plan_ahead(_options(args, memo=memo))
    if report is not None and report.published:
        _print_report(report, args.quiet)
        preview.succeeded()


# How often, in milliseconds, `serve`'s watcher hands back with nothing to report.
WAKE_MS = 200


def _run_serve(args: argparse.Namespace) -> int:
    from .serve import Preview, make_server, refresh_apart, serve_apart
    if args.out is None:
        args.out = args.content.resolve().parent / ".cache" / "preview"
    if args.base_url is None:
        args.base_url = f"http://127.0.0.1:{args.port}/"
    # Refused at once, as build refuses it, rather than each rebuild failing while the
    # folder (the content folder, say) is served as though it were the site.
    from .out_folder import check_out_folder
    check_out_folder(args.out, {"content": args.content, "templates": args.templates, "static": args.static})
    from .helper import Helper
    from .rebuilds import Memory
    from .watched import reports as watch_reports
    # What each build leaves the next (most posts are as they were), and a helper forked
    # now, while this process is small (see helper.py).
    helper = Helper()
    preview, memo = Preview(), Memory(settles=True, helper=helper)
    # Watching starts before the first build, so that a save while it runs is rebuilt
    # once it is done, and the listing it makes can be brought up to date (watched.py).
    # The watcher wakes this loop every WAKE_MS with nothing to report, the first time
    # once it watches.
    watched = [path for path in (args.content, args.templates, args.static) if path.exists()]
    reports = watch_reports(watched, WAKE_MS)
    next(reports)   # a change reported this soon is older than the first build's look at the files
    memo.watched.started()
    report = _build_for_preview(args, preview, memo)
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        server = make_server(args.out, args.port, preview=preview)
    except OSError as error:
        helper.close()
        raise ContentError(f"127.0.0.1:{args.port}", f"cannot serve the preview there ({error.strerror})",
                           hint="another program may be using the port: give --port another number") from error
    stop = serve_apart(server, preview)
    refreshed = refresh_apart(args.out, report.files_written if report is not None else 0)
    print(f"serving {args.out} at http://127.0.0.1:{args.port}/; watching "
          f"{', '.join(str(p) for p in watched)} (Ctrl-C to stop)", flush=True)
    try:
        if report is not None:
            _plan_ahead(args, preview, memo)
        for changes in reports:
            if changes is None:
                print("warning: the watcher failed (on a file name that is not UTF-8, perhaps) and watches "
                      "again; rebuilding", flush=True)
                memo.watched.lost()
            elif not changes:
                continue
            else:
                names = sorted({Path(path).name for _, path in changes})
                print(f"changed: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}; rebuilding", flush=True)
                memo.watched.saw(path for _, path in changes)
            refreshed()
            report = _build_for_preview(args, preview, memo)
            refreshed = refresh_apart(args.out, report.files_written if report is not None else 0)
            if report is not None:
                _plan_ahead(args, preview, memo)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        refreshed()
        helper.close()
    return 0


def _print_os_error(error: OSError, args: argparse.Namespace) -> int:
    """What the system refused (a folder that cannot be made, a full disk, a port in use):
    the machine's to put right, not the code's, so said without a traceback. (An OSError
    with no error number is raised by code, not by the system: a bug, left to crash.)"""
    where = f"{error.filename}: " if error.filename is not None else ""
    print(f"error: {where}{error.strerror or error} (rerun with --debug for the traceback)", file=sys.stderr)
    if args.command == "build":
        print("build failed after the new site was published (it is complete)" if interrupts.published() else
              f"build failed; {args.out} was not changed", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None, process_ends: bool = False) -> int:
    """`process_ends`: the caller exits as soon as this returns (see BuildOptions.process_ends)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    args.process_ends = process_ends
    run = {"build": _run_build, "parse": _run_parse, "serve": _run_serve, "check": _run_check}[args.command]
    try:
        with interrupts.remembered():
            code = run(args)
            if args.command == "build" and interrupts.requested():
                raise KeyboardInterrupt   # noted while the new site was being put in place
            return code
    except BuildFailed as failed:
        if args.debug:
            raise
        count = len(_print_errors(failed))
        print(f"build failed: {count} error(s); {args.__dict__.get('out', 'public')} was not changed", file=sys.stderr)
        return 1
    except ContentError as error:
        if args.debug:
            raise
        count = len(_print_errors(error))   # several, for site.yaml (config.ConfigErrors)
        if args.command == "build":   # as for BuildFailed: a mistake in a template or site.yaml
            print("build failed after the new site was published (it is complete)" if interrupts.published() else
                  f"build failed: {count} error(s); {args.out} was not changed", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # Whoever read the output stopped reading (`build.py | head`): no traceback for that,
        # and the exit code Python gives a broken pipe, as its documentation recommends.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except BaseException as error:
        # Ctrl-C (before the handler was in place, too), or whatever cleaning up after it raised instead.
        if not interrupts.requested() and not isinstance(error, KeyboardInterrupt):
            if isinstance(error, OSError) and error.errno is not None and not args.debug:
                return _print_os_error(error, args)
            raise
        if interrupts.published():
            print("interrupted after the new site was published (it is complete)", file=sys.stderr)
        else:
            print("interrupted; the published site was not changed", file=sys.stderr)
        return 130
