"""childfirst-site: the static-site generator behind Children First."""

__version__ = "0.1.0"
