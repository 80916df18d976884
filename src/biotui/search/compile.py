"""Tree -> :class:`~biotui.store.IndexQuery`: one FTS5 MATCH expression, or one exclusion.

Every spelling reaches FTS5 as a quoted string of folded index words, so nothing a person
types is FTS5 syntax. A term is ``{title body source}: ("car t" OR "car ts")`` (or one
column for a field term; ``"lupus"*`` for a prefix).

FTS5 has no "everything but": its ``NOT`` is binary (``a NOT b``). A filter that an article
mentioning nothing at all would satisfy (``-lupus``, ``a OR -b``) is compiled as its negation
and stored as ``IndexQuery(match=None, exclude=...)``: the store keeps every article but those.
Every other filter has, in each AND, at least one positive part to subtract from, and compiles
to one expression: ``a -b -c`` is ``(a) NOT ((b) OR (c))``.

An identifier field's term (``drug:KYV-101``) is no FTS5 expression but the store's
:class:`~biotui.store.NamedId`: a filter naming one compiles to a
:data:`~biotui.store.Match` of sets (:class:`~biotui.store.AllOf`, ``AnyOf``, ``Without``) by the
same rules, each part without an identifier still one FTS5 expression.
"""

from __future__ import annotations

from biotui.search.parser import And, IdTerm, Node, Not, Or, Term
from biotui.store import AllOf, AnyOf, IndexQuery, Match, NamedId, Without

__all__ = ["to_index_query"]

_ANY_TEXT = "{title body source}"


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def term_expression(term: Term) -> str:
    """The FTS5 expression of one term (its spellings, in its columns)."""
    star = "*" if term.prefix else ""
    spellings = [_quote(" ".join(form)) + star for form in term.forms]
    inner = spellings[0] if len(spellings) == 1 else "(" + " OR ".join(spellings) + ")"
    columns = _ANY_TEXT if term.field is None else "{" + term.field + "}"
    return f"{columns}: {inner}"


def matches_nothing_mentioned(node: Node) -> bool:
    """Whether an article mentioning none of the terms satisfies ``node``."""
    if isinstance(node, Term | IdTerm):
        return False
    if isinstance(node, Not):
        return not matches_nothing_mentioned(node.child)
    if isinstance(node, And):
        return all(matches_nothing_mentioned(child) for child in node.children)
    return any(matches_nothing_mentioned(child) for child in node.children)


def negate(node: Node) -> Node:
    """``NOT node``, with the negation pushed inwards (De Morgan)."""
    if isinstance(node, Term | IdTerm):
        return Not(node)
    if isinstance(node, Not):
        return node.child
    if isinstance(node, And):
        return Or(tuple(negate(child) for child in node.children))
    return And(tuple(negate(child) for child in node.children))


def names_ids(node: Node) -> bool:
    """Whether ``node`` has an identifier field's term."""
    if isinstance(node, IdTerm):
        return True
    if isinstance(node, Term):
        return False
    if isinstance(node, Not):
        return names_ids(node.child)
    return any(names_ids(child) for child in node.children)


def _match(node: Node) -> Match:
    """The set of articles of a node that an article mentioning nothing does NOT satisfy:
    one FTS5 expression when it names no identifier."""
    if not names_ids(node):
        return _expression(node)
    if isinstance(node, IdTerm):
        from biotui.identifiers import SEARCH_FIELDS

        return NamedId(SEARCH_FIELDS[node.field], node.key)
    if isinstance(node, Not):
        return _match(negate(node.child))
    if isinstance(node, Or):
        return AnyOf(_grouped(node.children, " OR "))
    assert isinstance(node, And)
    kept = [child for child in node.children if not matches_nothing_mentioned(child)]
    dropped = [negate(child) for child in node.children if matches_nothing_mentioned(child)]
    parts = _grouped(kept, " AND ")
    match = parts[0] if len(parts) == 1 else AllOf(parts)
    if not dropped:
        return match
    removed = _grouped(dropped, " OR ")
    return Without(match, removed[0] if len(removed) == 1 else AnyOf(removed))


def _grouped(children: tuple[Node, ...] | list[Node], operator: str) -> tuple[Match, ...]:
    """The matches of ``children``, those naming no identifier joined by ``operator`` into
    one FTS5 expression (one pass over the index)."""
    plain = [f"({_expression(child)})" for child in children if not names_ids(child)]
    named = tuple(_match(child) for child in children if names_ids(child))
    return (operator.join(plain), *named) if plain else named


def _expression(node: Node) -> str:
    """FTS5 for a node without identifier terms that an article mentioning nothing does NOT
    satisfy."""
    if isinstance(node, IdTerm):  # pragma: no cover - _match takes these
        raise ValueError("an identifier term has no FTS5 expression")
    if isinstance(node, Term):
        return term_expression(node)
    if isinstance(node, Not):
        return _expression(negate(node.child))
    if isinstance(node, Or):
        return " OR ".join(f"({_expression(child)})" for child in node.children)
    kept = [child for child in node.children if not matches_nothing_mentioned(child)]
    dropped = [negate(child) for child in node.children if matches_nothing_mentioned(child)]
    expression = " AND ".join(f"({_expression(child)})" for child in kept)
    if dropped:
        removed = " OR ".join(f"({_expression(child)})" for child in dropped)
        expression = f"({expression}) NOT ({removed})"
    return expression


def to_index_query(node: Node | None) -> IndexQuery | None:
    """Compile a tree to an :class:`IndexQuery`; None (every article) for no tree."""
    if node is None:
        return None
    if matches_nothing_mentioned(node):
        return IndexQuery(match=None, exclude=_match(negate(node)))
    return IndexQuery(match=_match(node))
