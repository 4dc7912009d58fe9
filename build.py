"""Build the Children First site: `python build.py --help` lists every option."""
import sys
from pathlib import Path

# Lets an editor run `python build.py` from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from childfirst_site.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
