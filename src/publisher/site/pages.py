"""Which pages the site has, and what each page's template is given.

Every page is `(src_uri, text, in_nav)`. The URL scheme lives in `urls`; the wording and
layout live in the templates; this module only gathers the facts each page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from .. import guide, record, vocabulary
from ..content import Content
from ..dates import PartialDate
from ..markup import to_plain
from ..progress import Progress, count_by_evidence, count_by_status, oldest_first
from ..vocabulary import SourceKind
from . import charts, paging, urls
from .render import UNCHANGED_FILE, Renderer


@dataclass(frozen=True)
class SiteInfo:
    name: str
    url: str  # absolute, ending in '/'
    publisher: str
    #: An email address for readers' problems and questions; empty if none is configured.
    contact: str = ""
    #: What the tracker follows ("Midshire's children's services") and who answers for
    #: the recommendations ("Midshire County Council"): `extra:` in mkdocs.yml.
    subject: str = ""
    body: str = ""
    #: The home page's heading and lead.
    heading: str = ""
    lead: str = ""


@dataclass(frozen=True)
class TimelineEntry:
    """One row of the timeline: an inspection, or an earlier report known only as a source."""

    date: PartialDate
    title: str
    kind: str
    src: str
    summary: str


def _describe(text: str | None, limit: int = 160) -> str:
    plain = to_plain(text)
    return plain if len(plain) <= limit else plain[: limit - 1].rsplit(" ", 1)[0] + "…"


def _no_description(text: str | None, limit: int = 160) -> str:
    """Listing the pages (`page.listing`) needs no descriptions: each is a Markdown conversion."""
    return ""


_NOT_MILESTONES = (SourceKind.NEWS_REPORT, SourceKind.GOVERNMENT_PUBLICATION, SourceKind.PARLIAMENTARY_RECORD, SourceKind.RESEARCH)


def timeline(content: Content, describe=_describe) -> list[TimelineEntry]:
    cited_by_inspections = {c.source for i in content.inspections.values() for c in i.sources}
    entries = [
        TimelineEntry(i.period, i.title, i.kind.label, urls.inspection(i.id), describe(i.summary))
        for i in content.inspections.values()
    ]
    entries += [
        TimelineEntry(s.date, s.title, s.kind.label, urls.source(s.id), describe(s.notes))
        for s in content.sources.values()
        # Reports in their own right: news, the government's own pages, the record of
        # parliamentary business and research about the service are not milestones.
        if s.id not in cited_by_inspections and s.date.known and s.kind not in _NOT_MILESTONES
    ]
    return sorted(entries, key=lambda e: (e.date.sort_key, e.title))


def shared_context(content: Content, progress: Progress) -> dict[str, Any]:
    """What every page template is given."""
    return dict(
        content=content,
        progress=progress,
        standings=progress.standings,
        vocabulary=vocabulary,
        Status=vocabulary.Status,
        EvidenceKind=vocabulary.EvidenceKind,
        urls=urls,
        limits=paging,
        record=record.tally(content),
    )


def item_titles(content: Content, progress: Progress) -> dict[str, str]:
    """The title of each recommendation, inspection, theme, plan and update page, by its
    source: the pages' own titles, which their citations in named styles are made from
    before any page is rendered (`permanence.Citing.prepare`). Made once per derivation
    (asked three times in a build; until `forget_titles`)."""
    known = _titles.get("last")
    if known is not None and known[0] is content and known[1] is progress:
        return known[2]
    titles: dict[str, str] = {}
    for standing in progress.standings.values():
        rec = standing.recommendation
        titles[urls.recommendation(rec.id)] = f"Recommendation: {rec.title} ({content.inspections[standing.inspection_id].period.label})"
    for inspection in content.inspections.values():
        titles[urls.inspection(inspection.id)] = f"Inspection: {inspection.title} ({inspection.period.label})"
    for theme in content.themes.values():
        titles[urls.theme(theme.id)] = f"Theme: {theme.title}"
    current = next((p for p in content.plans.values() if p.current), None)
    titles[urls.PLAN] = current.title if current else "Plans"
    for plan in content.plans.values():
        if plan is not current:
            titles[urls.plan(plan.id)] = plan.title
    for update_id, update in progress.updates.items():
        titles[urls.update(update_id)] = f"Update: {update.title}"
    _titles["last"] = (content, progress, titles)
    return titles


_titles: dict[str, tuple] = {}


def forget_titles() -> None:
    _titles.clear()


def pager(renderer, shared: dict[str, Any]):
    """`page(src, template, title, ...)`: one generated page as (src, text, in_nav).

    A citable page's front matter also carries `citation` (what its head says about it to
    reference managers, search engines and link previews: `permanence.Citing.head`) and
    `lastmod` (its sitemap date: when its item last changed, from the data). `deferrable`:
    a numbered page of a long list, which a preview's refresh may render after it returns."""
    env = getattr(renderer, "env", None)  # none when only listing the pages
    citing = env.globals.get("citing") if env is not None else None
    if citing is not None and not citing.prepared:
        citing.prepare(env.globals["info"].name, item_titles(citing.content, citing.progress))

    def page(src, template, title, description="", in_nav=False, search_exclude=False, extra_meta=None, deferrable=False, **context):
        meta: dict[str, Any] = {"title": title}
        if description:
            meta["description"] = description
        if not src.startswith("about/"):
            # Only the About section has pages of its own to list in a side menu.
            meta["hide"] = ["navigation"]
        if search_exclude:
            meta["search"] = {"exclude": True}
        meta.update(extra_meta or {})
        head = citing.head(src, title, description, context) if citing is not None and not (extra_meta or {}).get("redirect") else None
        if head is not None:
            meta["citation"] = head
            if head["date"]:
                meta["lastmod"] = head["date"]
        render = renderer.render
        if deferrable and _deferred(src):
            render = renderer.defer
        return src, render(src, template, meta, title=title, **shared, **context), in_nav

    def _deferred(src: str) -> bool:
        """Whether a `deferrable` page (page 2 or later of a long list) is rendered
        after a preview's refresh returns: in a refresh that keeps the item pages
        (`Tracker.settled`), if it was made in the last pass. A new draft moves every entry
        of the updates list along one: on a national tracker 600 pages, seconds of
        rendering, while the page the author saved is what they are waiting to see."""
        tracker = getattr(renderer, "tracker", None)
        return tracker is not None and tracker.settled and src in tracker.records

    def keep(src: str, inputs) -> tuple[str, str, bool] | None:
        """In a preview's refresh, the item page at `src` as it was (`Unchanged`) if
        nothing it is made from changed (`Tracker.keep`; `inputs()` names the items its
        context and front matter come from) and its citation is as it was; else None,
        and the caller gathers its context for `page`. Item pages are never in the
        navigation."""
        tracker = getattr(renderer, "tracker", None)
        if tracker is None or citing is None or not citing.as_before(src) or not tracker.keep(src, inputs):
            return None
        citing.again(src)
        return src, renderer.unchanged(), False

    def memory(name: str) -> dict | None:
        """A preview's memory of the last pass, under `name` (None in a build)."""
        memo = getattr(renderer, "memo", None)
        return memo.setdefault(name, {}) if memo is not None else None

    lists = memory("lists")

    def unmoved(list_src: str, order: tuple) -> bool:
        """In a preview's refresh, whether the list at `list_src` holds the same items in
        the same order as in the last pass (`order`: their ids), so each numbered page
        holds the same ones (`keep_numbered`)."""
        if lists is None:
            return False
        same = lists.get(list_src) == order
        lists[list_src] = order
        return same

    def keep_numbered(src: str, place, unmoved_list: bool) -> tuple[str, str, bool] | None:
        """Page 2 or later of a list whose items did not move (`unmoved`), as it was if
        none of its items changed (`Tracker.keep`: they are in what the page rested on)
        and nothing that places items among others did. Such a page is not citable, and
        says nothing else that could change (its title and description are the list's)."""
        tracker = getattr(renderer, "tracker", None)
        if place.number == 1 or not unmoved_list or tracker is None or not tracker.keep(src, lambda: ()):
            return None
        return src, renderer.unchanged(), False

    #: Only listing the pages (see `site.page_sources`): figures need not be worked out.
    page.listing = getattr(renderer, "listing", False)
    page.renderer = renderer
    page.keep, page.unmoved, page.keep_numbered, page.memory = keep, unmoved, keep_numbered, memory
    return page


def first_report_year(content: Content, entries: list[TimelineEntry]) -> int | None:
    """The year of the earliest report among these timeline entries (for an inspection,
    when its report was published, where that is known), if any is dated."""
    inspections = {urls.inspection(i.id): i for i in content.inspections.values()}
    years = []
    for entry in entries:
        inspection = inspections.get(entry.src)
        day = inspection.published if inspection is not None and inspection.published.known else entry.date
        if day.known and day.start:
            years.append(day.start.year)
    return min(years, default=None)


def pages(content: Content, progress: Progress, renderer: Renderer, info: SiteInfo | None = None) -> Iterator[tuple[str, str, bool]]:
    """Every page of the site but the past positions and the redirects. `info` gives the
    tracker's words for titles and descriptions (none when only listing the pages)."""
    info = info or SiteInfo("", "", "")
    subject = info.subject or "the service"
    standings = progress.standings
    visible = progress.updates
    updates_newest_first = sorted(
        visible.items(), key=lambda kv: (kv[1].date.end, kv[1].date.sort_key, kv[0]), reverse=True
    )
    page = pager(renderer, shared_context(content, progress))
    describe = _no_description if page.listing else _describe
    titles = item_titles(content, progress)

    all_standings = list(standings.values())
    explorer = sorted(all_standings, key=oldest_first(content))
    #: Each recommendation's place in the explorer, for ordering its filtered results.
    order = {s.id: index for index, s in enumerate(explorer)}
    inspections = sorted(content.inspections.values(), key=lambda i: (i.period.sort_key, i.id))
    entries = timeline(content, describe)
    first_year = first_report_year(content, entries)
    since_first = f" since {first_year}" if first_year else ""
    inspection_pages = {urls.inspection(i) for i in content.inspections}
    yield page(
        urls.HOME,
        "home.md",
        info.heading or info.name,
        f"What inspections of {subject} found, what was promised, and where things stand.",
        in_nav=True,
        # The earliest report the timeline lists that is not an inspection recorded here.
        earlier_from=first_report_year(content, [e for e in entries if e.src not in inspection_pages]),
        by_status=count_by_status(all_standings),
        by_evidence=count_by_evidence(all_standings),
        overdue=sorted((s for s in all_standings if s.overdue), key=lambda s: (s.due.end, s.id)),
        slipped=sorted((s for s in all_standings if s.slipped), key=lambda s: (-s.slipped_days, s.id)),
        latest=updates_newest_first[:5],
        # The story tells the most recent inspections; the timeline lists them all.
        inspections=inspections[-STORY_LIMIT:],
        inspections_total=len(inspections),
        chart=charts.status_by_inspection(content, progress),
        due_next=sorted(
            (s for s in all_standings if s.due and not s.status.closed and not s.overdue),
            key=lambda s: (s.due.end, s.id),
        )[:3],
    )

    for src, chunk, place in paging.paginate(urls.INSPECTIONS, entries, paging.ENTRIES):
        yield page(
            src, "inspections.md", _numbered(f"Inspections and reports{since_first}", place),
            f"A timeline of the inspections, reviews and reports on {subject} that this site records.",
            in_nav=place.number == 1, search_exclude=place.number > 1, timeline=chunk, paging=place,
            since_first=since_first,
            coverage=inspections if place.number == 1 else [],
        )
    for inspection in content.inspections.values():
        kept = page.keep(urls.inspection(inspection.id), lambda: _inspection_inputs(inspection, progress))
        if kept is not None:
            yield kept
            continue
        yield page(
            urls.inspection(inspection.id), "inspection.md", titles[urls.inspection(inspection.id)],
            describe(inspection.summary),
            inspection=inspection, recommendations=progress.of_inspection(inspection.id),
        )

    explorer_unmoved = page.unmoved(urls.RECOMMENDATIONS, tuple(s.id for s in explorer))
    for src, rows, place in paging.paginate(urls.RECOMMENDATIONS, explorer, paging.ROWS):
        kept = page.keep_numbered(src, place, explorer_unmoved)
        if kept is not None:
            yield kept
            continue
        yield page(
            src, "recommendations.md", _numbered("Recommendations and where they stand", place),
            f"The recommendations made to {subject} that this site records, with their status and evidence.",
            in_nav=place.number == 1, search_exclude=place.number > 1, deferrable=place.number > 1, rows=rows, paging=place,
            inspections=inspections,
            # A list split into pages keeps its first page light: no chart (the home page
            # has where things stand, year by year).
            chart=_unless_listing(renderer, lambda: charts.status_over_time(content, progress, renderer.preview))
            if not place.paginated else None,
        )
    for standing in all_standings:
        rec = standing.recommendation
        kept = page.keep(urls.recommendation(rec.id), lambda: _recommendation_inputs(standing))
        if kept is not None:
            yield kept
            continue
        inspection = content.inspections[standing.inspection_id]
        related = _related(standing, progress)
        yield page(
            urls.recommendation(rec.id), "recommendation.md", titles[urls.recommendation(rec.id)],
            describe(rec.text),
            standing=standing, rec=rec, inspection=inspection, related=related, order=order[rec.id],
        )

    themes = []
    for theme in content.themes.values():
        rows = _oldest_first(progress)[theme.id]
        years = list(dict.fromkeys(content.inspections[s.inspection_id].period.label for s in rows))
        if len(years) > RAISED_LIMIT:  # a national tracker: say how often, not every date
            first, last = (content.inspections[rows[i].inspection_id].period for i in (0, -1))
            years = [f"{len(years)} inspections from {first.start.year} to {last.end.year}"]
        themes.append((theme, rows, years))
    yield page(
        urls.THEMES, "themes.md", "Themes: the concerns that keep coming back",
        f"Concerns raised again and again across inspections of {subject}.",
        in_nav=True, themes=themes,
    )
    for theme, rows, _ in themes:
        theme_unmoved = page.unmoved(urls.theme(theme.id), tuple(s.id for s in rows))
        for src, chunk, place in paging.paginate(urls.theme(theme.id), rows, paging.ROWS):
            if place.number == 1:
                # Its chart and status changes rest on every recommendation of the theme:
                # on a national tracker, thousands, whose history is long to compare.
                kept = page.keep(src, lambda: _theme_inputs(theme, rows))
            else:
                kept = page.keep_numbered(src, place, theme_unmoved)
            if kept is not None:
                yield kept
                continue
            first = place.number == 1
            yield page(
                src, "theme.md", _numbered(titles[urls.theme(theme.id)], place), describe(theme.summary),
                search_exclude=not first, deferrable=not first, theme=theme, rows=chunk, paging=place,
                chart=_unless_listing(renderer, lambda: charts.theme_across_years(content, progress, theme.id)) if first else None,
            )

    current = next((p for p in content.plans.values() if p.current), None)
    yield page(
        urls.PLAN, "plan.md", titles[urls.PLAN],
        describe(current.summary) if current else "The plans made in response to inspections.",
        in_nav=True, plan=current, others=[p for p in content.plans.values() if p is not current],
    )
    for plan in content.plans.values():
        if plan is not current:
            yield page(urls.plan(plan.id), "plan.md", titles[urls.plan(plan.id)], describe(plan.summary), plan=plan, others=[])

    updates_unmoved = page.unmoved(urls.UPDATES, tuple(update_id for update_id, _ in updates_newest_first))
    for src, chunk, place in paging.paginate(urls.UPDATES, updates_newest_first, paging.ENTRIES):
        kept = page.keep_numbered(src, place, updates_unmoved)
        if kept is not None:
            yield kept
            continue
        yield page(
            src, "updates.md", _numbered("Progress updates", place),
            "Every published update on progress, newest first.", in_nav=place.number == 1,
            search_exclude=place.number > 1, deferrable=place.number > 1, updates=chunk, paging=place,
        )
    for update_id, update in visible.items():
        kept = page.keep(urls.update(update_id), lambda: _update_inputs(update_id, update))
        if kept is not None:
            yield kept
            continue
        yield page(
            urls.update(update_id), "update.md", titles[urls.update(update_id)],
            update.summary or describe(content.bodies[update_id]),
            update_id=update_id, update=update, body=content.bodies[update_id],
        )

    yield "updates/feed.xml", feed(content, updates_newest_first, renderer), False
    yield from item_feeds(content, progress, renderer, titles)

    by_date = sorted(content.sources.values(), key=lambda s: (s.date.sort_key, s.title))
    sources_unmoved = page.unmoved(urls.SOURCES, tuple(s.id for s in by_date))
    for src, chunk, place in paging.paginate(urls.SOURCES, by_date, paging.ENTRIES):
        kept = page.keep_numbered(src, place, sources_unmoved)
        if kept is not None:
            yield kept
            continue
        yield page(
            src, "sources.md", _numbered("Sources", place), "Every document this site cites.",
            search_exclude=place.number > 1, deferrable=place.number > 1, sources=chunk, paging=place,
        )
    citations = _citations(content, visible, progress.unpublished)
    # The updates citing each source, now and in the last pass (a preview's): its page
    # lists them, so it is kept only if they are the same, in the same order, and none
    # of them changed.
    citers = _citing_updates(visible)
    citers_before = page.memory("updates citing each source")
    for source in content.sources.values():
        before = citers_before.get(source.id) if citers_before is not None else None
        now = citers.get(source.id, ())
        if citers_before is not None:
            citers_before[source.id] = now
        if before == now:
            kept = page.keep(urls.source(source.id), lambda: _source_inputs(source.id, now))
            if kept is not None:
                yield kept
                continue
        yield page(
            urls.source(source.id), "source.md", f"Source: {source.title}", describe(source.notes) or source.title,
            source=source, cited_by=citations.get(source.id, []),
        )

    yield page(
        "accessibility.md", "accessibility.md", "Accessibility statement",
        "How accessible this website is, and how to report a problem.",
    )
    yield page("about/statuses.md", "statuses.md", "What the statuses mean", "How this site decides each recommendation's status.", in_nav=True)
    yield page(
        "about/content-guide.md", "content-guide.md", "Writing content",
        "How to write and check the content this site is built from.", in_nav=True, records=guide.records(),
    )
    yield page(
        "about/settings.md", "settings.md", "The site's settings",
        "What the site says about itself in mkdocs.yml, and what to write in each key.", in_nav=True, settings=guide.settings(),
    )


def _recommendation_inputs(standing) -> list[tuple[str, str]]:
    """What a recommendation's page is made from beyond what places it among the others
    (`Tracker.keep`): its standing, its text, its inspection and the sources it cites."""
    rec = standing.recommendation
    keys = [("standing", standing.id), ("recommendation", rec.id), ("inspection", standing.inspection_id)]
    return keys + [("source", c.source) for c in rec.sources]


def _inspection_inputs(inspection, progress: Progress) -> list[tuple[str, str]]:
    """What an inspection's page is made from: the inspection (its findings and
    recommendations are in it), its recommendations' standings (their status and
    history) and the sources it cites."""
    keys = [("inspection", inspection.id)] + [("standing", s.id) for s in progress.of_inspection(inspection.id)]
    return keys + [("source", c.source) for c in inspection.sources]


def _theme_inputs(theme, rows) -> list[tuple[str, str]]:
    """What a theme's first page is made from: the theme, the standings of all its
    recommendations (the first rows, the chart and the status changes) and the sources its
    summary cites."""
    keys = [("theme", theme.id)] + [("standing", s.id) for s in rows]
    return keys + [("source", c.source) for c in theme.sources]


def _citing_updates(updates) -> dict[str, tuple[str, ...]]:
    """For each source, the updates that cite it, in order."""
    citing: dict[str, list[str]] = {}
    for update_id, update in updates.items():
        for source_id in dict.fromkeys(c.source for c in update.sources):
            citing.setdefault(source_id, []).append(update_id)
    return {source_id: tuple(ids) for source_id, ids in citing.items()}


def _source_inputs(source_id: str, updates) -> list[tuple[str, str]]:
    """What a source's page is made from beyond what places items: the source, and each
    update citing it (its title, whether it is published). Its other citers (inspections,
    recommendations, themes, plans) are among what places items, and the status changes
    resting on it among what it rested on last time."""
    return [("source", source_id)] + [(kind, u) for u in updates for kind in ("update", "unpublished")]


def _update_inputs(update_id: str, update) -> list[tuple[str, str]]:
    """What an update's page is made from: the update, its text, whether it is published,
    and the sources it cites."""
    keys = [("update", update_id), ("body", update_id), ("unpublished", update_id)]
    return keys + [("source", c.source) for c in update.sources]


#: Related recommendations shown on a recommendation page; the theme pages list them all.
RELATED_LIMIT = 8
#: Inspections told on the home page (the most recent); the timeline lists them all.
STORY_LIMIT = 6
#: Inspection dates listed for a theme on the themes page before they are summarised.
RAISED_LIMIT = 6
#: Entries in the Atom feed: the most recent updates (feed readers want what is new).
FEED_LIMIT = 50


def _numbered(title: str, place: paging.Paging) -> str:
    """A page's title, saying which page of a long list it is."""
    return f"{title} (page {place.number} of {place.count})" if place.number > 1 else title


def _unless_listing(renderer, make):
    """`make()`, except when only listing the pages (`site.page_sources`): the figures of a
    chart cost a derivation per year and do not change which pages exist."""
    return None if getattr(renderer, "listing", False) else make()


def _related(standing, progress: Progress) -> list:
    """Recommendations from other inspections on the same concern: the explicit lineage
    first (what it follows, what followed it), then others sharing a theme, oldest first."""
    chosen = {i: progress.standings[i] for i in (*standing.follows, *standing.followed_by)}
    by_age = _oldest_first(progress)
    for theme_id in standing.recommendation.themes:
        for other in by_age[theme_id]:
            if len(chosen) >= RELATED_LIMIT:
                break
            if other.inspection_id != standing.inspection_id:
                chosen.setdefault(other.id, other)
    return sorted(chosen.values(), key=oldest_first(progress.content))


_sorted_themes: dict[int, dict[str, list]] = {}


def _oldest_first(progress: Progress) -> dict[str, list]:
    """Each theme's recommendations, oldest first: sorted once per build, not once per
    recommendation page (which at 10,000 recommendations is minutes of sorting)."""
    key = id(progress)
    if key not in _sorted_themes:
        _sorted_themes.clear()
        _sorted_themes[key] = {t: sorted(progress.of_theme(t), key=oldest_first(progress.content)) for t in progress.content.themes}
    return _sorted_themes[key]


@dataclass(frozen=True)
class FeedEntry:
    id: str
    update: object
    updated: str  # RFC 3339; the last day the update's date can mean, at midnight UTC
    summary: str
    html: str


def feed(content: Content, updates_newest_first, renderer: Renderer) -> str:
    """The Atom feed of public updates. Its dates come from the updates, never the clock,
    so the same content always gives the same feed."""
    from ..markup import to_html

    entries = [
        FeedEntry(
            update_id,
            update,
            f"{update.date.end.isoformat()}T00:00:00Z",
            update.summary or _describe(content.bodies[update_id], 300),
            str(to_html(content.bodies[update_id])),
        )
        for update_id, update in updates_newest_first[:FEED_LIMIT]
    ]
    updated = entries[0].updated if entries else f"{renderer.today.isoformat()}T00:00:00Z"
    return renderer.render_plain("feed.xml", entries=entries, feed_updated=updated, urls=urls, urls_=renderer.urls)


@dataclass(frozen=True)
class ItemFeedEntry:
    """One entry in an item's own feed: an update that set the status of the item's
    recommendations, or the item's own beginning (a recommendation made, an inspection
    reported)."""

    id: str
    title: str
    href: str  # the entry's page, from the site root
    published: str  # RFC 3339: the first day the entry's date can mean, at midnight UTC
    updated: str  # RFC 3339: the last day it can mean
    summary: str
    status: object = None


def _rfc3339(day) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def item_feeds(content: Content, progress: Progress, renderer: Renderer, titles: dict[str, str]) -> Iterator[tuple[str, str, bool]]:
    """An Atom feed beside each recommendation's, inspection's and theme's page
    (`recommendations/<id>/feed.xml`), so a reader can follow one item: the updates that
    set its recommendations' status, newest first (the latest `FEED_LIMIT`), and for a
    recommendation or an inspection its beginning. Dates come from the content, never the
    clock."""
    from ..citation import inspection_date

    # Only listing the pages; or the second rendering process, whose files are thrown away.
    listing = getattr(renderer, "listing", False) or getattr(renderer, "shard", (0, 1))[0] != 0
    info = None if listing else renderer.env.globals["info"]
    citing = None if listing else renderer.env.globals.get("citing")
    # A preview's feeds made before, by what they show (`site.Reuse.memo`).
    memo = None if listing else renderer.memo
    feeds = None if memo is None else memo.setdefault("feeds", {})
    # And each feed's text by its path, for a refresh to keep one whose items did not change.
    written = None if memo is None else memo.setdefault("feed texts", {})
    tracker = None if listing else renderer.tracker

    def of_updates(standings, name_recommendations: bool) -> list[ItemFeedEntry]:
        by_update: dict[str, list] = {}
        for standing in standings:
            for change in standing.history:
                by_update.setdefault(change.update_id, []).append((standing, change))
        entries = []
        for update_id, moved in by_update.items():
            update = moved[0][1].update
            if name_recommendations:
                said = "; ".join(f"{s.recommendation.title}: {c.status.label}" for s, c in moved)
            else:
                said = f"Status: {moved[0][1].status.label}"
            evidence = f" (evidence: {update.evidence.label.lower()})" if update.evidence else ""
            # A summary and the update's address, not its whole text: the site's own feed
            # has that, and an item's feeds would convert the same Markdown many times over.
            entries.append(ItemFeedEntry(
                id=info.url + renderer.urls.url(urls.update(update_id)) if info else update_id,
                title=update.title,
                href=urls.canonical(urls.update(update_id)),
                published=_rfc3339(update.date.start),
                updated=_rfc3339(update.date.end),
                summary=f"{said}{evidence}. {update.summary or _describe(content.bodies[update_id], 300)}",
                status=update.status,
            ))
        return entries

    def beginning(src: str, title: str, when, summary: str) -> list[ItemFeedEntry]:
        if when is None or not when.known:
            return []
        return [ItemFeedEntry(
            id=f"{info.url}{urls.canonical(src)}#made" if info else src, title=title, href=urls.canonical(src),
            published=_rfc3339(when.start), updated=_rfc3339(when.end), summary=summary,
        )]

    def newest_first(entries: list[ItemFeedEntry]) -> list[ItemFeedEntry]:
        return sorted(entries, key=lambda e: (e.updated, e.published, e.id), reverse=True)[:FEED_LIMIT]

    def feed_file(src: str, kind: str, entries) -> tuple[str, str, bool]:
        path = urls.canonical(src) + "feed.xml"
        if listing:
            return path, "", False
        entries = newest_first(entries())
        # A feed with no entries yet: when its item last changed, if the sources say.
        changed = citing.changed.get(src) if citing is not None else None
        updated = entries[0].updated if entries else _rfc3339(changed.end if changed and changed.known else renderer.today)
        given = {
            "title": titles[src], "kind": kind, "page_url": info.url + urls.canonical(src),
            "feed_url": info.url + path, "entries": tuple(entries), "feed_updated": updated,
        }
        key = (info, *given.values())  # the template reads `info` too
        text = feeds.get(key) if feeds is not None else None
        if text is None:
            text = renderer.render_plain("item-feed.xml", **given)
            if feeds is not None:
                feeds[key] = text
        if citing is not None:  # an item that moves keeps its feed at its old address too
            citing.keep_feed(path, text)
        if written is not None:
            written[path] = text
        return path, text, False

    def kept_feed(src: str, inputs) -> tuple[str, str, bool] | None:
        """In a preview's refresh, the feed beside `src` as it was, if nothing it is made
        from changed (`Tracker.unaffected`: `inputs()` names the items) and neither did its
        item's date; else None."""
        path = urls.canonical(src) + "feed.xml"
        if tracker is None or citing is None or path not in written or not citing.as_before(src) or not tracker.unaffected(inputs):
            return None
        citing.keep_feed(path, written[path])
        return path, UNCHANGED_FILE, False

    def made_from(standings) -> list[tuple[str, str]]:
        """The items a feed of these recommendations' changes is made from: their standings
        (each change's update is in them) and the texts the summaries come from."""
        return [("standing", s.id) for s in standings] + [("body", c.update_id) for s in standings for c in s.history]

    for standing in progress.standings.values():
        rec, src = standing.recommendation, urls.recommendation(standing.id)
        # Its entries: its standing's changes, and each update's text for a summary.
        kept = kept_feed(src, lambda: _recommendation_inputs(standing) + made_from([standing]))
        if kept is not None:
            yield kept
            continue
        inspection = content.inspections[standing.inspection_id]
        yield feed_file(src, "recommendation", lambda: of_updates([standing], False) + beginning(
            src, f"Made: {rec.title}", inspection_date(content, inspection.id),
            f"Recommendation made by {inspection.title} ({inspection.period.label}).",
        ))
    for inspection in content.inspections.values():
        src = urls.inspection(inspection.id)
        kept = kept_feed(src, lambda: [("inspection", inspection.id)] + made_from(progress.of_inspection(inspection.id)))
        if kept is not None:
            yield kept
            continue
        yield feed_file(src, "inspection", lambda: of_updates(progress.of_inspection(inspection.id), True) + beginning(
            src, f"Reported: {inspection.title}", inspection_date(content, inspection.id),
            f"{inspection.title} ({inspection.period.label}): {_describe(inspection.summary, 300)}",
        ))
    for theme in content.themes.values():
        src = urls.theme(theme.id)
        kept = kept_feed(src, lambda: [("theme", theme.id)] + made_from(progress.of_theme(theme.id)))
        if kept is not None:
            yield kept
            continue
        yield feed_file(src, "theme", lambda: of_updates(progress.of_theme(theme.id), True))


def _citations(content: Content, updates, unpublished=()) -> dict[str, list[tuple[str, str, str | None]]]:
    """For each source, the pages that cite it: (page src, label, section)."""
    cited: dict[str, list[tuple[str, str, str | None]]] = {}

    def add(source_id: str, src: str, label: str, section: str | None = None) -> None:
        entry = (src, label, section)
        if entry not in cited.setdefault(source_id, []):
            cited[source_id].append(entry)

    for inspection in content.inspections.values():
        for c in inspection.sources:
            add(c.source, urls.inspection(inspection.id), f"Inspection: {inspection.title}", c.section)
        for rec in inspection.recommendations:
            for c in rec.sources:
                add(c.source, urls.recommendation(rec.id), f"Recommendation: {rec.title}", c.section)
    for theme in content.themes.values():
        for c in theme.sources:
            add(c.source, urls.theme(theme.id), f"Theme: {theme.title}", c.section)
    for update_id, update in updates.items():
        for c in update.sources:
            flag = " (preview only: not published)" if update_id in unpublished else ""
            add(c.source, urls.update(update_id), f"Update: {update.title}{flag}", c.section)
    for plan in content.plans.values():
        src = urls.PLAN if plan.current else urls.plan(plan.id)
        for c in plan.sources:
            add(c.source, src, f"Plan: {plan.title}", c.section)
    return cited
