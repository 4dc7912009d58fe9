"""`{% cache key %}…{% endcache %}`: a part of a template rendered once per build (per
render worker) for each key, then reused. For parts that most pages show alike, such as
the header and footer: the key names all that the part depends on besides the site's
config and the templates' globals, which do not change during a build.

Jinja's documentation gives this extension as its example of a custom tag.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable

from jinja2 import nodes
from jinja2.environment import Environment
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup


class FragmentCache(Extension):
    tags = {"cache"}

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self.fragments: dict[Hashable, Markup] = {}

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        key = parser.parse_expression()
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        return nodes.CallBlock(self.call_method("_fragment", [key]), [], [], body).set_lineno(lineno)

    def _fragment(self, key: Hashable, caller: Callable[[], Markup]) -> Markup:
        found = self.fragments.get(key)
        if found is None:
            found = self.fragments[key] = caller()
        return found
