"""Build the Children First site: `python build.py --help` lists every option."""
import os
import sys
from pathlib import Path

# Lets an editor run `python build.py` from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

try:
    from childfirst_site.cli import main  # noqa: E402
except KeyboardInterrupt:   # Ctrl-C while Python was still loading the code
    print("interrupted; the published site was not changed", file=sys.stderr)
    sys.exit(130)

if __name__ == "__main__":
    profiled = sys.getprofile() is not None or sys.gettrace() is not None
    code = main(process_ends=not profiled)
    if profiled:
        sys.exit(code)   # a profiler or coverage writes its report at exit
    # A build of a large archive ends holding millions of objects, which Python would
    # free one by one (a tenth of a second or more) before the system reclaims them at
    # once anyway. Everything is written and every worker has ended by now.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
