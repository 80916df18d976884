"""The article pane: title, metadata line, Markdown body, then Source, Credits, Identifiers,
the story's other sources and notes.

Every string from an article goes in as ``Content`` (never markup). The body is capped before it
reaches the Markdown widget, since each Markdown block becomes a widget. The Markdown widget is
imported and built when the first article is shown, not at start.

Words the filter matched are marked at display time only: once the Markdown widget has built its
blocks, each block's text (the words a person reads, links and inline code included, code blocks
left alone) goes through the filter's highlighter and the matched spans get the
``article-view--match`` style on top of the block's own styles. The article and its Markdown
are never changed, so no markup is injected and links keep working. The identifiers the
article names (trials, papers, drug codes, targets) are marked the same way with the
``article-view--identifier`` style, and listed under Identifiers, each line a link: a click
runs the screen's ``open_identifier`` action with the line's number.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.style import Style
from textual.widget import MountError
from textual.widgets import Label, Static

from biotui.app.format import long_date, multiline, one_line, shorten_markdown
from biotui.app.textual_internals import release_removed_line_caches
from biotui.app.widgets.story_sources import StorySources
from biotui.model import FULL_TEXT_NOTE, Article

if TYPE_CHECKING:
    from textual.widget import AwaitMount
    from textual.widgets import Markdown

    from biotui.identifiers import Identifier
    from biotui.search import Highlighter

BODY_LIMIT = 30_000
"""Characters of Markdown shown; the rest is left to the browser (``o``): each block is a
widget, so rendering cost grows with the article."""


async def _nothing() -> None:
    """An awaitable that does nothing (clearing before any body was built)."""


def _fields(rows: list[tuple[str, str]]) -> Table:
    """The Source section: labels on the left, values wrapping under themselves on the right.

    Cells are ``rich.text.Text`` built from plain strings, so nothing is read as markup.
    """
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, style="bold")
    table.add_column(overflow="fold")
    for label, value in rows:
        table.add_row(Text(label), Text(value))
    return table


class ArticleView(VerticalScroll, can_focus=True):
    """Shows one article; scroll it with the arrow keys, j/k, space and page keys."""

    class BlocksReplaced(Message):
        """The blocks of the article shown before were removed.

        Removed widgets are cyclic garbage (a widget and its parent, its message queue),
        which Python frees only in its rare full collections; meanwhile the objects made
        next land in new allocator arenas, and the freed ones leave holes in the old. The
        app runs one full collection at the next rest of the keys.
        """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Scroll down", show=False, id="next"),
        Binding("k", "scroll_up", "Scroll up", show=False, id="previous"),
        Binding("space", "page_down", "Page down", show=False, id="page_down"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"article-view--match", "article-view--identifier"}

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Create an empty article pane."""
        super().__init__(name=name, id=id, classes=classes)
        self._article: Article | None = None
        self._body: Markdown | None = None
        self._body_mounted: AwaitMount | None = None
        self._highlighter: Highlighter | None = None
        self._identifiers: tuple[Identifier, ...] = ()
        self._id_highlighter: Highlighter | None = None
        self._unmarked: weakref.WeakKeyDictionary[Static, Content] = weakref.WeakKeyDictionary()
        """Each body block's own content, before matches were marked in it."""

    @property
    def article(self) -> Article | None:
        """The article shown, if any."""
        return self._article

    @property
    def identifiers(self) -> tuple[Identifier, ...]:
        """The identifiers the article shown names."""
        return self._identifiers

    @property
    def highlighter(self) -> Highlighter | None:
        """What marks the filter's matches in the title and body (None: nothing)."""
        return self._highlighter

    def set_highlighter(self, highlighter: Highlighter | None) -> None:
        """Mark the matches of ``highlighter`` in the article shown (and those shown later)."""
        if highlighter is self._highlighter:
            return
        self._highlighter = highlighter
        self._mark_again()

    def _mark_again(self, *_: object) -> None:
        """Mark the article shown again (another highlighter, or another theme's colours)."""
        if self._article is not None:
            # Same text, other marks: no new layout needed.
            title = self.query_one("#article-title", Static)
            title.update(self._title(self._article), layout=False)
            self._mark_body()

    def compose(self) -> ComposeResult:
        """Title, metadata, body and the sections under it (the body comes with an article)."""
        yield Static(Content("No article selected."), id="article-title")
        yield Static(id="article-meta")
        yield Label(Content("Source"), id="source-heading", classes="article-heading")
        yield Static(id="article-source")
        yield Label(Content("Credits"), id="credits-heading", classes="article-heading")
        yield Static(id="article-credits")
        yield Label(Content("Identifiers"), id="identifiers-heading", classes="article-heading")
        yield Static(id="article-identifiers")
        yield StorySources(id="article-story")
        yield Static(id="article-notes")

    def on_mount(self) -> None:
        """Start with only the placeholder title visible; marks follow the theme."""
        self._set_sections_visible(False)
        self.app.theme_changed_signal.subscribe(self, self._mark_again)

    def _set_sections_visible(
        self, visible: bool, *, credits: bool = False, identifiers: bool = False
    ) -> None:
        for selector in ("#article-meta", "#source-heading", "#article-source"):
            self.query_one(selector).display = visible
        if self._body is not None:
            self._body.display = visible
        for selector in ("#credits-heading", "#article-credits"):
            self.query_one(selector).display = visible and credits
        for selector in ("#identifiers-heading", "#article-identifiers"):
            self.query_one(selector).display = visible and identifiers
        self.query_one("#article-notes").display = visible

    def clear(self, message: str = "No article selected.") -> AwaitComplete:
        """Show only ``message`` (plain text)."""
        self._article = None
        self._identifiers, self._id_highlighter = (), None
        self.query_one("#article-title", Static).update(Content(message))
        self._set_sections_visible(False)
        self.query_one(StorySources).show(())
        if self._body is None:
            return AwaitComplete(_nothing())
        return AwaitComplete(self._show_body(""))

    def set_flags(self, *, read: bool | None = None, starred: bool | None = None) -> None:
        """Record a read/starred change of the shown article (the title shows the star)."""
        article = self._article
        if article is None:
            return
        self._article = replace(
            article,
            read=article.read if read is None else read,
            starred=article.starred if starred is None else starred,
        )
        self.query_one("#article-title", Static).update(self._title(self._article))

    def _title(self, article: Article) -> Content:
        title = self._marked(Content(one_line(article.title) or "(untitled)"))
        if article.starred:
            return Content.assemble(("★ ", "$text-warning"), title)
        return title

    def _marked(self, content: Content) -> Content:
        """``content`` with the identifiers named in its text and the filter's matches
        styled (a match over an identifier shows as a match)."""
        for highlighter, component in (
            (self._id_highlighter, "article-view--identifier"),
            (self._highlighter, "article-view--match"),
        ):
            if highlighter is None:
                continue
            spans = highlighter.spans(content.plain)
            if not spans:
                continue
            style = Style.from_rich_style(self.get_component_rich_style(component, partial=True))
            for start, end in spans:
                content = content.stylize(style, start, end)
        return content

    def _identifier_lines(self) -> Content:
        """The Identifiers section: a line per identifier (kind, id, link), each a link."""
        lines = []
        for index, ident in enumerate(self._identifiers):
            line = Content.assemble(
                (f"{ident.kind:<8}", "$text-muted"), (one_line(ident.id), "bold"), "  ", ident.url
            )
            click = Style.from_meta({"@click": f"screen.open_identifier({index})"})
            lines.append(line.stylize(click))
        return Content("\n").join(lines)

    def _mark_body(self) -> None:
        """Mark matches in every text block of the body, from each block's unmarked text."""
        if self._body is None:
            return
        from textual.widgets.markdown import MarkdownFence

        for block in self._body.query(Static):
            if isinstance(block, MarkdownFence):
                continue  # code blocks keep their syntax colours
            unmarked = self._unmarked.get(block)
            if unmarked is None:
                content = block.content
                if not isinstance(content, Content) or not content.plain:
                    continue
                unmarked = self._unmarked[block] = content
            marked = self._marked(unmarked)
            if marked is not block.content:
                block.update(marked, layout=False)

    def _body_widget(self) -> tuple[Markdown, AwaitMount]:
        """The Markdown widget, created and mounted on first use, and its mounting (await it
        before updating the widget)."""
        if self._body is None or self._body_mounted is None:
            from textual.widgets import Markdown

            from biotui.app.article_markdown import article_parser

            self._body = Markdown(
                id="article-body", open_links=False, parser_factory=article_parser
            )
            self._body_mounted = self.mount(self._body, after="#article-meta")
        return self._body, self._body_mounted

    async def _show_body(self, body: str) -> None:
        markdown, mounted = self._body_widget()
        await mounted
        try:
            await markdown.update(body)
        except MountError:
            return  # the app closed while the body was being built
        release_removed_line_caches()  # the old body's blocks are gone: not their lines
        # Made in the pane's own message loop: a message stops at the node that made it,
        # and this one is for the app.
        self.call_next(lambda: self.post_message(self.BlocksReplaced()))
        self._mark_body()

    def show(self, article: Article, identifiers: Sequence[Identifier] = ()) -> AwaitComplete:
        """Show ``article``, which names ``identifiers``, from the top; await the result to wait
        for the body to render."""
        from biotui.search import identifier_highlighter

        self._identifiers = tuple(identifiers)
        self._id_highlighter = identifier_highlighter((i.kind, i.id) for i in identifiers)
        return AwaitComplete(self._show(article))

    async def _show(self, article: Article) -> None:
        # The parts updated in one batch: one by one, the screen was laid out 3.2 times an
        # article (2.25 now) and could paint the new title over the old body in between.
        with self.app.batch_update():
            await self._show_body(self._show_fields(article))

    def _show_fields(self, article: Article) -> str:
        """Show everything of ``article`` but its body; return the body to show."""
        self._article = article
        self.query_one("#article-title", Static).update(self._title(article))
        meta = [
            one_line(article.source) or one_line(article.feed),
            one_line(article.author),
            long_date(article.published),
            one_line(article.link),
        ]
        if article.notes and article.notes[0].startswith(FULL_TEXT_NOTE):
            meta.append("full text from the page")
        self.query_one("#article-meta", Static).update(Content(" · ".join(m for m in meta if m)))

        body, shortened = shorten_markdown(multiline(article.body), BODY_LIMIT)
        if not body.strip():
            body = "*No text in this article; press **o** to open its link.*"

        rows = [("Source", one_line(article.source) or "—")]
        if article.source_title and one_line(article.source_title) != one_line(article.title):
            rows.append(("Original title", one_line(article.source_title)))
        if article.section:
            rows.append(("Section", one_line(article.section)))
        if article.place:
            rows.append(("Place", one_line(article.place)))
        rows.append(("Feed", one_line(article.feed)))
        if article.link:
            rows.append(("Link", one_line(article.link)))
        self.query_one("#article-source", Static).update(_fields(rows))

        credits = [one_line(credit) for credit in article.credits if one_line(credit)]
        self.query_one("#article-credits", Static).update(
            Content("\n").join(Content(f"• {credit}") for credit in credits)
        )

        self.query_one("#article-identifiers", Static).update(self._identifier_lines())

        notes = [one_line(note) for note in article.notes if one_line(note)]
        if shortened:
            notes.append(
                f"Only the first {BODY_LIMIT:,} characters are shown here; "
                "press o to open the full article."
            )
        self.query_one("#article-notes", Static).update(
            Content("\n").join(Content(f"Note: {note}") for note in notes)
        )
        self._set_sections_visible(True, credits=bool(credits), identifiers=bool(self._identifiers))
        self.query_one("#article-notes").display = bool(notes)
        self.scroll_home(animate=False, immediate=True)
        return body
