"""The service layer: every use case once, under the command line, the API, the web pages
and the exports.

Nothing above this module runs SQL or re-implements a rule: ingest goes through the one
ingest path (near-copies, actor linking, fingerprints), lists and counts through the
store's list queries (one definition of what counts), reviews through the review log.
"""

from __future__ import annotations

import hashlib
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wirewatch.model import (
    Article,
    ArticleRecord,
    Entity,
    Event,
    IngestFailure,
    PlaceMention,
    event_day,
)
from wirewatch.model import from_dict as record_from_dict
from wirewatch.store.lists import FACETS, UNITS, Filters, Page, Unit

if TYPE_CHECKING:
    from spacy.language import Language

    from wirewatch.ingest.fetch import FetchPolicy
    from wirewatch.ingest.live import FetchReport
    from wirewatch.ingest.run import IngestSummary
    from wirewatch.ingest.sources import Defaults
    from wirewatch.nlp.pipeline import PipelineConfig
    from wirewatch.store.repository import Store

UPLOAD_SUFFIXES = {".txt", ".html", ".htm", ".jsonl"}


def event_item(ev: dict[str, Any]) -> dict[str, Any]:
    """An event list row in the shape every surface shows (API, pages, CLI)."""
    d = ev.get("data") or {}
    loc = d.get("location") or {}
    return {
        "id": ev["id"], "article_id": ev["article_id"], "date": ev.get("date"),
        "day": event_day(ev), "type": ev["type"], "modality": ev.get("modality"),
        "cameo": ev.get("cameo"), "trigger": d.get("trigger"), "actors": d.get("actors") or [],
        "recipients": d.get("recipients") or [], "place_name": ev.get("place_name"),
        "country": ev.get("country"), "precision": loc.get("level"),
        "location": d.get("location"), "confidence": ev.get("confidence"),
        "casualties": d.get("casualties"), "also": d.get("also") or [],
        "sentence": ev.get("sentence"), "source": ev.get("source"), "url": ev.get("url"),
        "published": ev.get("published"), "review": ev.get("review"),
        "edited": ev.get("edited"),
        "incident": ev.get("incident_id"),
    }


class Service:
    """One store and the pipeline it ingests with (loaded on first use)."""

    def __init__(self, store: Store):
        self.store = store
        self._nlp: Language | None = None
        self._nlp_lock = threading.Lock()
        # One pipeline run at a time: a shared spaCy pipeline is not re-entrant.
        self.run_lock = threading.Lock()

    @classmethod
    def open(cls, url: str | None = None) -> Service:
        from wirewatch.store.repository import Store

        return cls(Store(url))

    @property
    def url(self) -> str:
        return self.store.url

    def reading(self) -> AbstractContextManager[None]:
        """Several reads that make one answer (a page) on one connection (``Store.reading``)."""
        return self.store.reading()

    def nlp(self) -> Language:
        with self._nlp_lock:
            if self._nlp is None:
                from wirewatch.nlp.pipeline import build_nlp, warm_up

                nlp = build_nlp()
                warm_up(nlp)  # every data file read now, not by the first articles
                self._nlp = nlp
            return self._nlp

    # -- ingest ------------------------------------------------------------------------

    def ingest(self, paths: Sequence[str | Path], defaults: Defaults | None = None,
               config: PipelineConfig | None = None, workers: int = 1,
               max_bytes: int | None = None, reprocess: bool = False,
               on_failure: Callable[[IngestFailure], None] | None = None,
               progress: Callable[[int, int], None] | None = None,
               policy: FetchPolicy | None = None,
               fetch_progress: Callable[[str, int, int], None] | None = None,
               dask: str | None = None) -> IngestSummary:
        """Files and folders through the one ingest path; also http(s) URLs (fetched with
        ``policy``) and WARC files; ``dask`` (``local:N`` or a scheduler address) runs the
        pipeline on a Dask cluster."""
        from wirewatch.ingest.decode import DEFAULT_MAX_BYTES
        from wirewatch.ingest.run import ingest

        # A pipeline already loaded here (the server's, a test's) is reused; a custom config
        # builds its own.
        nlp = self._nlp if config is None else None
        if any(_is_live(p) for p in paths):
            from wirewatch.ingest.live import ingest_inputs

            return ingest_inputs(
                self.store, paths, defaults, policy, max_bytes or DEFAULT_MAX_BYTES,
                nlp=self.nlp if config is None else None, on_failure=on_failure,
                progress=progress, fetch_progress=fetch_progress, config=config,
                workers=workers, reprocess=reprocess)
        kwargs = dict(config=config, workers=workers, max_bytes=max_bytes or DEFAULT_MAX_BYTES,
                      reprocess=reprocess, on_failure=on_failure, progress=progress, nlp=nlp)
        if dask is None:
            return ingest(self.store, paths, defaults, **kwargs)
        from wirewatch.ingest.cluster import dask_client

        with dask_client(dask) as client:
            return ingest(self.store, paths, defaults, dask_client=client, **kwargs)

    def ingest_upload(self, name: str, data: bytes,
                      defaults: Defaults | None = None) -> dict[str, Any]:
        """Ingest one uploaded file (or a JSON article serialised as one JSONL line) through
        the same path as files on disk. Each upload has its own origin, named by the hash
        of its bytes, so one upload's success never clears another's failure record."""
        from wirewatch.ingest.run import ingest_items
        from wirewatch.ingest.sources import read_inputs

        suffix = Path(name).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise ValueError(f"unsupported file type {suffix!r}: use "
                             f"{', '.join(sorted(UPLOAD_SUFFIXES))}")
        label = f"upload:{hashlib.sha256(data).hexdigest()[:12]}/{Path(name).name}"
        with tempfile.TemporaryDirectory(prefix="wirewatch-upload-") as tmp:
            path = Path(tmp) / Path(name).name
            path.write_bytes(data)
            items = list(read_inputs([path], defaults))
        for item in items:
            item.origin = label + (item.origin or "").split(path.name, 1)[-1]
        results: list[dict[str, Any]] = []

        def heard(article: Article, status: str, record: ArticleRecord | None) -> None:
            row: dict[str, Any] = {"id": article.id, "title": article.title, "status": status,
                                   "duplicate_of": article.duplicate_of}
            if record is not None:
                row.update(quotes=len(record.quotes), events=len(record.events),
                           relations=len(record.relations))
            results.append(row)

        needs_nlp = any(isinstance(i, Article) for i in items)
        with self.run_lock:
            summary = ingest_items(self.store, items, nlp=self.nlp() if needs_nlp else None,
                                   on_article=heard)
        return {"articles": results,
                "failures": [{"origin": f.origin, "reason": f.reason, "detail": f.detail}
                             for f in summary.failures]}

    # -- live sources ------------------------------------------------------------------

    def add_source(self, url: str, kind: str | None = None, every: str = "15m",
                   name: str | None = None, allow_private: bool = False) -> dict[str, Any]:
        """A feed, sitemap or page to fetch every ``every`` (e.g. 90s, 15m, 2h, 1d).
        Without a kind, it is guessed from the URL (feed, sitemap, else page)."""
        from wirewatch.ingest.feeds import canonical_url
        from wirewatch.ingest.fetch import check_url
        from wirewatch.store.sources import add_source

        check_url(url)  # http(s) only, refused at once otherwise
        return add_source(self.store, canonical_url(url), kind or _guess_kind(url),
                          parse_every(every), name, allow_private)

    def list_sources(self) -> list[dict[str, Any]]:
        from wirewatch.store.sources import list_sources

        return list_sources(self.store)

    def remove_source(self, key: str) -> int:
        from wirewatch.store.sources import remove_source

        return remove_source(self.store, key)

    def fetch_log(self, source: str | None = None) -> list[dict[str, Any]]:
        from wirewatch.store.sources import fetch_log_rows, get_source

        found = get_source(self.store, source) if source else None
        return fetch_log_rows(self.store, found["id"] if found else source)

    def fetch_due(self, once: bool = True, everything: bool = False,
                  policy: FetchPolicy | None = None, stop: threading.Event | None = None,
                  interval: float = 60.0,
                  on_failure: Callable[[IngestFailure], None] | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  fetch_progress: Callable[[str, int, int], None] | None = None,
                  on_report: Callable[[FetchReport], None] | None = None) -> FetchReport:
        """Fetch every due source once (every source with ``everything``) and ingest what is
        new. With ``once=False``, again every ``interval`` seconds until ``stop`` is set;
        each round's report goes to ``on_report``, the last one is returned."""
        from wirewatch.ingest.live import fetch_due

        stop = stop or threading.Event()
        while True:
            with self.run_lock:
                report = fetch_due(self.store, policy, self.nlp, everything, stop=stop,
                                   on_failure=on_failure, progress=progress,
                                   fetch_progress=fetch_progress)
            if on_report:
                on_report(report)
            if once or stop.wait(interval):
                return report

    @staticmethod
    def extract_only(path: str | Path, defaults: Defaults | None = None,
                     config: PipelineConfig | None = None, nlp: Language | None = None
                     ) -> tuple[list[ArticleRecord], list[IngestFailure]]:
        """The pipeline on one file, nothing stored (no store needed)."""
        from wirewatch.ingest.sources import read_inputs
        from wirewatch.nlp.pipeline import build_nlp, process

        items = list(read_inputs([path], defaults))
        failures = [i for i in items if isinstance(i, IngestFailure)]
        articles = [i for i in items if isinstance(i, Article)]
        if not articles:
            return [], failures
        return list(process(nlp or build_nlp(config), articles)), failures

    # -- lists -------------------------------------------------------------------------

    def events(self, f: Filters | None = None, limit: int | None = None,
               cursor: str | None = None, facets: Sequence[str] = (),
               newest: bool = False, unit: Unit = "events") -> Page:
        """Events, or with ``unit="incidents"`` one event per incident (its first report
        among the events the filters select)."""
        page = self.store.events_page(_unit(f, unit), limit, cursor,
                                      _facets("events", facets), newest)
        page.items = [event_item(e) for e in page.items]
        return page

    def quotes(self, f: Filters | None = None, limit: int | None = None,
               cursor: str | None = None, facets: Sequence[str] = (),
               newest: bool = False) -> Page:
        return self.store.quotes_page(f or Filters(), limit, cursor, _facets("quotes", facets),
                                      newest)

    def actors(self, f: Filters | None = None, limit: int | None = None,
               cursor: str | None = None, facets: Sequence[str] = ()) -> Page:
        return self.store.actors_page(f or Filters(), limit, cursor, _facets("actors", facets))

    def relations(self, f: Filters | None = None, limit: int | None = None,
                  cursor: str | None = None, facets: Sequence[str] = ()) -> Page:
        page = self.store.relations_page(f or Filters(), limit, cursor,
                                         _facets("relations", facets))
        for r in page.items:
            r.pop("data", None)
        return page

    def articles(self, f: Filters | None = None, limit: int | None = None,
                 cursor: str | None = None, facets: Sequence[str] = ()) -> Page:
        return self.store.articles_page(f or Filters(), limit, cursor,
                                        _facets("articles", facets))

    def failures(self, limit: int | None = None, cursor: str | None = None) -> Page:
        return self.store.failures_page(limit, cursor)

    def places(self, f: Filters | None = None, limit: int | None = None,
               cursor: str | None = None) -> Page:
        return self.store.places_page(f or Filters(), limit, cursor)

    def incidents(self, f: Filters | None = None, limit: int | None = None,
                  cursor: str | None = None, min_reports: int = 1,
                  facets: Sequence[str] = ()) -> Page:
        """Happenings, each with the counted events of every article that reported it
        (``since``/``until``/``type``/``country``/``actor`` filters), earliest first."""
        from wirewatch.store import incidents

        return incidents.page(self.store, f or Filters(), limit, cursor, min_reports,
                              tuple(dict.fromkeys(facets)))

    def incident_view(self, incident_id: str) -> dict[str, Any] | None:
        """An incident with its reports side by side: per reporting article its title,
        outlet, date, member events (evidence, trigger, actors), death toll, and the
        fields where it differs from the other reports."""
        from wirewatch.incident_rule import casualties

        inc = self.incident(incident_id)
        if inc is None:
            return None
        members = {e["id"] for e in inc["events"]}
        differ: dict[str, set[str]] = {}  # article id -> fields it disagrees on
        for d in inc["disagreements"]:
            for v in d["values"]:
                for aid in v["articles"]:
                    differ.setdefault(aid, set()).add(d["field"])
        reports = []
        for aid in dict.fromkeys(e["article_id"] for e in inc["events"]):
            art = (self.articles(Filters(article=aid), 1).items or [{}])[0]
            events = [e for e in self.events(Filters(article=aid)).items if e["id"] in members]
            tolls = [n for e in events if (n := casualties(
                {"casualties": e.get("casualties"), "sentence": e.get("sentence")})) is not None]
            reports.append({"article_id": aid, "title": art.get("title"),
                            "source": art.get("source"), "url": art.get("url"),
                            "published": art.get("published"), "events": events,
                            "killed": max(tolls) if tolls else None,
                            "differs": sorted(differ.get(aid, ()))})
        return {**inc, "reports_shown": reports}

    def incident(self, incident_id: str) -> dict[str, Any] | None:
        from wirewatch.store import incidents

        return incidents.get(self.store, incident_id)

    def incident_ids(self, event_ids: Sequence[str]) -> dict[str, str]:
        """The incident of each of these events that belongs to one."""
        from wirewatch.store import incidents

        return incidents.of_events(self.store, list(event_ids))

    def rebuild_incidents(self) -> int:
        """Group every counted event afresh (a store made before incidents existed)."""
        from wirewatch.store import incidents

        return incidents.rebuild(self.store)

    def search(self, q: str, limit: int = 50) -> list[dict[str, Any]]:
        """Articles and quotes matching q (full text), articles first."""
        from wirewatch.store.search import search_articles

        out: list[dict[str, Any]] = []
        for r in search_articles(self.store, q, limit=limit):
            out.append({"kind": "article", "id": r["id"], "article_id": r["id"],
                        "title": r.get("title"), "published": r.get("published"),
                        "source": r.get("source"), "text": r.get("snippet")})
        for x in self.quotes(Filters(q=q), limit=limit).items:
            out.append({"kind": "quote", "id": x["id"], "article_id": x["article_id"],
                        "title": x.get("speaker_text"), "published": x.get("published"),
                        "source": x.get("source"), "text": x.get("content")})
        return out

    # -- one article, one actor --------------------------------------------------------

    def article(self, article_id: str, include_rejected: bool = False
                ) -> dict[str, Any] | None:
        """The article record as JSON, reviews applied (rejected facts kept and flagged
        when ``include_rejected``)."""
        return self.store.get_record(article_id, include_rejected=include_rejected)

    def article_record(self, article_id: str) -> ArticleRecord | None:
        rec = self.article(article_id)
        return None if rec is None else ArticleRecord.from_dict(rec)

    def actor_names(self, ids: set[str]) -> dict[str, str]:
        return self.store.actor_names({i for i in ids if i})

    def find_actor(self, name: str) -> dict[str, Any] | None:
        return self.store.find_actor(name)

    def actor_profile(self, actor_id: str, with_registry: bool = False, limit: int = 200
                      ) -> dict[str, Any] | None:
        """An actor (a merged one is shown as the actor it was merged into): aliases, roles
        over time, affiliations, and its latest counted quotes and events (``limit`` of each,
        newest first, with the totals in ``counts``), with evidence."""
        with self.store.reading():
            return self._actor_profile(actor_id, with_registry, limit)

    def _actor_profile(self, actor_id: str, with_registry: bool, limit: int
                       ) -> dict[str, Any] | None:
        canonical = self.store.canonical_actor(actor_id)
        actor = self.store.actor_row(canonical)
        if actor is None:
            return None
        aliases, merged = self.store.actor_aliases(canonical)
        rels = self.relations(Filters(actor=canonical)).items
        roles = sorted((r for r in rels if r["type"] == "holds_role"
                        and r["subject_id"] == canonical),
                       key=lambda r: (r.get("observed_at") or "", r["id"]))
        role_ids = {r["id"] for r in roles}
        periods: dict[str, dict[str, Any]] = {}
        for r in roles:  # one row per role: first and last seen, with every evidence sentence
            name = (r.get("role") or r.get("object_text") or "").strip()
            p = periods.setdefault(name.lower(), {"role": name, "first": r.get("observed_at"),
                                                  "last": r.get("observed_at"), "evidence": []})
            p["last"] = r.get("observed_at") or p["last"]
            p["evidence"].append(r)
        quote_page = self.quotes(Filters(speaker=canonical), limit=limit, newest=True)
        quotes = [q for q in quote_page.items if q.get("speaker_id") == canonical]
        as_actor = self.events(Filters(actor=canonical), limit=limit, newest=True)
        as_recipient = self.events(Filters(recipient=canonical), limit=limit, newest=True)
        seen = {e["id"] for e in as_actor.items}
        events = as_actor.items + [e for e in as_recipient.items if e["id"] not in seen]
        events.sort(key=lambda e: (e.get("date") or "", e["id"]), reverse=True)
        events = events[:limit]
        names = self.actor_names({r.get("object_id") for r in rels}
                                 | {r["subject_id"] for r in rels}
                                 | {p.get("entity") for e in events
                                    for p in e["actors"] + e["recipients"]})
        out = {
            "actor": actor, "aliases": aliases, "merged_from": merged, "roles": roles,
            "role_periods": list(periods.values()),
            "affiliations": [r for r in rels if r["id"] not in role_ids],
            "quotes": quotes, "events": events, "names": names, "review": actor.get("review"),
            "counts": {"quotes": quote_page.total, "events_as_actor": as_actor.total,
                       "events_as_recipient": as_recipient.total},
        }
        if with_registry:
            from wirewatch.nlp.registry import load_registry

            entry = load_registry().get(actor.get("registry_id"))
            out["registry_roles"] = [
                {"title": r.title, "org": r.org, "start": r.start, "end": r.end}
                for r in (entry.roles if entry else [])]
        return out

    # -- overview ----------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """What counts, as every list shows it: totals of the default lists."""
        f = Filters()
        return {"articles": self.articles(f, 0).total, "actors": self.actors(f, 0).total,
                "quotes": self.quotes(f, 0).total, "events": self.events(f, 0).total,
                "incidents": self.events(f, 0, unit="incidents").total,
                "relations": self.relations(f, 0).total, "places": self.places(f, 0).total,
                "failures": self.failures(0).total}

    def stats(self, f: Filters, unit: Unit = "incidents") -> dict[str, Any]:
        """Counts, counts per day, event types, top actors and sources for the overview,
        counting incidents (each once) or events (``unit``): ``window[unit]`` and the types,
        actors and ``per_day[...]["counted"]`` are in that unit."""
        with self.store.reading():
            return self._stats(f, unit)

    def _stats(self, f: Filters, unit: Unit) -> dict[str, Any]:
        from wirewatch.store.reviews import count as review_count

        qf = Filters(since=f.since, until=f.until, source=f.source, speaker=f.actor,
                     include_rejected=f.include_rejected)
        af = Filters(since=f.since, until=f.until, source=f.source)
        events = self.store.events_page(_unit(f, unit), 0, None, ("type", "actor", "recipient"))
        other = self.store.events_page(
            _unit(f, "events" if unit == "incidents" else "incidents"), 0)
        quotes = self.store.quotes_page(qf, 0, None, ("speaker",))
        arts = self.store.articles_page(af, 0, None, ("source",))
        per_day = self.store.per_day(_unit(f, "events"))
        for d in per_day.values():
            d["counted"] = d.get(unit, 0)
        _fill_gaps(per_day)
        actor_counts: Counter = Counter()
        for name in ("actor", "recipient"):
            for row in events.facets[name]:
                actor_counts[row["value"]] += row["count"]
        for row in quotes.facets["speaker"]:
            actor_counts[row["value"]] += row["count"]
        listed = self.store.listed_actor_names({a for a in actor_counts if a})
        top = [(aid, n) for aid, n in actor_counts.most_common() if aid in listed][:12]
        return {
            "unit": unit,
            "counts": self.counts(),
            "window": {unit: events.total, ("events" if unit == "incidents" else "incidents"):
                       other.total, "quotes": quotes.total, "articles": arts.total},
            "per_day": [{"date": d, **per_day[d]} for d in sorted(per_day)],
            "event_types": {r["value"]: r["count"] for r in events.facets["type"]},
            "sources": {(r["value"] or "unknown"): r["count"] for r in arts.facets["source"]},
            "top_actors": [{"id": aid, "name": listed[aid], "count": n} for aid, n in top],
            "reviews": review_count(self.store),
        }

    # -- network, map, exports ---------------------------------------------------------

    def network(self, f: Filters | None = None, types: list[str] | None = None,
                kinds: tuple[str, ...] = ("event", "relation"), actor: str | None = None,
                unit: Unit = "incidents"):
        """Actors joined by events (each incident once, by its first report, unless
        ``unit="events"``) and relations."""
        from wirewatch.export.graph import build_network

        f = f or Filters()
        canonical = self.store.canonical_actor(actor) if actor else None
        events = self.events(f, unit=unit).items if "event" in kinds else []
        rels = self.relations(Filters(since=f.since, until=f.until,
                                      include_rejected=f.include_rejected)).items \
            if "relation" in kinds else []
        net = build_network(events, rels, types, canonical)
        rows = {a["id"]: a for a in self.actors(Filters(include_rejected=True)).items}
        missing = set(net.nodes) - set(rows)
        for aid in missing:  # places and nationalities can be recipients
            row = self.store.actor_row(aid)
            if row is not None:
                rows[aid] = row
        net.describe_nodes(rows)
        return net

    def geojson(self, f: Filters | None = None, unit: Unit = "events") -> dict[str, Any]:
        from wirewatch.export.geojson import events_geojson

        return events_geojson(self.events(f or Filters(), unit=unit).items)

    def event_rows(self, f: Filters | None = None, unit: Unit = "events"
                   ) -> Iterator[tuple[Event, Article, dict[str, Entity]]]:
        """Every counted event (or what ``f`` selects) as typed records with its article and
        the article's entities, for the PLOVER, POLECAT, ACLED and GDELT writers. With
        ``unit="incidents"``, one row per incident: its first report, carrying the
        incident's agreed date, place and death toll (``export.incidents``). A row whose
        sentence names no place gets the country its article gives it (``located``)."""
        from wirewatch.export.events import located
        from wirewatch.export.incidents import representative
        from wirewatch.store import incidents

        items = self.store.events_page(_unit(f, unit)).items
        shown = (incidents.of_representatives(self.store, [e["id"] for e in items])
                 if unit == "incidents" else {})
        by_article: dict[str, list[dict[str, Any]]] = {}
        for e in items:
            by_article.setdefault(e["article_id"], []).append(e)
        ids = sorted(by_article)
        for i in range(0, len(ids), 200):
            records = self.store.records(ids[i:i + 200])
            for aid in ids[i:i + 200]:
                rec = records[aid]
                article = record_from_dict(Article, rec["article"])
                entities = {d["id"]: record_from_dict(Entity, d)
                            for d in rec.get("entities") or []}
                places = [record_from_dict(PlaceMention, d) for d in rec.get("places") or []]
                for e in by_article[aid]:
                    event = record_from_dict(Event, e["data"])
                    if e["id"] in shown:
                        event = representative(event, *shown[e["id"]])
                    yield located(event, article, places), article, entities

    def export_events(self, fmt: str, fh: Any, f: Filters | None = None,
                      unit: Unit | None = None, left_out: Counter[str] | None = None) -> int:
        """Write the events in ``fmt``; one row per incident by default for ACLED, GDELT and
        POLECAT, per event for PLOVER (``unit`` chooses). The ACLED layout leaves out the
        rows ACLED has no type for and counts them in ``left_out`` (reason -> rows)."""
        from wirewatch.export import events as ev
        from wirewatch.export.incidents import DEFAULT_UNIT

        # The filters decide what is exported (counted events unless asked otherwise).
        rows = self.event_rows(f, unit or DEFAULT_UNIT[fmt])  # type: ignore[arg-type]
        if fmt == "acled":
            return ev.write_acled_csv(rows, fh, include_uncounted=True, left_out=left_out)
        writer = {"plover": ev.write_plover_jsonl, "polecat": ev.write_polecat_csv,
                  "gdelt": ev.write_gdelt_tsv}[fmt]
        return writer(rows, fh, include_uncounted=True)

    def table_rows(self, name: str) -> list[dict[str, Any]]:
        return self.store.table_rows(name)

    # -- reviews -----------------------------------------------------------------------

    def review(self, target_type: str, target_id: str, action: str, reviewer: str,
               comment: str | None = None, payload: dict[str, Any] | None = None
               ) -> dict[str, Any]:
        from wirewatch.store.reviews import add_review

        if target_type == "incident":  # split or merge: the grouping, not a fact
            from wirewatch.store import incidents

            return incidents.review(self.store, target_id, action, reviewer, comment, payload)
        row = add_review(self.store, target_type, target_id, action, reviewer, comment,
                         payload)
        if target_type == "event":  # a rejected or re-dated event leaves or moves incident
            from wirewatch.store import incidents

            incidents.refresh_for_events(self.store, [target_id])
        return row

    def review_log(self, target_type: str | None = None, target_id: str | None = None,
                   since: str | None = None) -> list[dict[str, Any]]:
        from wirewatch.store.reviews import history

        return history(self.store, target_type, target_id, since)

    def reviews(self, f: Filters | None = None, limit: int | None = None,
                cursor: str | None = None, facets: Sequence[str] = (),
                newest: bool = False) -> Page:
        """The review log as a list: filtered (``target_type``, ``action``, ``reviewer``,
        ``since``/``until``, the target id in ``article``), paged, with facets."""
        from wirewatch.store.lists import review_log

        return review_log(self.store, f or Filters(), limit, cursor,
                          _facets("reviews", facets), newest)

    def changes(self, since: str) -> list[dict[str, Any]]:
        from wirewatch.store.reviews import changes

        return changes(self.store, since)

    def review_queue(self, limit: int | None = 50, cursor: str | None = None,
                     facets: Sequence[str] = ()) -> Page:
        """Counted events and quotes no reviewer has looked at, lowest confidence first
        (each row's ``fact`` says which kind it is): one page, paged in SQL."""
        from wirewatch.store.lists import review_queue

        page = review_queue(self.store, limit, cursor, _facets("queue", facets))
        wanted = {"event": [], "quote": []}
        for row in page.items:
            wanted[row["fact"]].append(row["id"])
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        if wanted["event"]:
            for e in self.events(Filters(ids=wanted["event"])).items:
                rows["event", e["id"]] = dict(e, fact="event")
        if wanted["quote"]:
            for q in self.quotes(Filters(ids=wanted["quote"])).items:
                rows["quote", q["id"]] = dict(q, fact="quote")
        page.items = [rows[k] for k in ((r["fact"], r["id"]) for r in page.items) if k in rows]
        return page

    def actor_suggestions(self, q: str, limit: int = 10) -> list[dict[str, Any]]:
        """Stored actors whose name contains ``q`` (or whose id is ``q``), most mentioned
        first: the choices when an analyst names who did what."""
        if not q.strip():
            return []
        return [{"id": a["id"], "name": a["name"], "type": a.get("type"),
                 "kind": a.get("kind"), "country": a.get("country"),
                 "mentions": a.get("mention_count") or 0}
                for a in self.actors(Filters(actor=q.strip()), limit=limit).items]

    def events_per_day_by_type(self, f: Filters | None = None, unit: Unit = "incidents"
                               ) -> dict[str, dict[str, int]]:
        """Incidents (or counted events with ``unit="events"``; or what ``f`` selects) per
        day and type, gaps filled with empty days so the timeline's x axis is time."""
        from wirewatch.store.timeline import per_day_by_type

        out = per_day_by_type(self.store, _unit(f, unit))
        _fill_gaps(out)
        return out

    def network_view(self, f: Filters | None = None, types: list[str] | None = None,
                     kinds: tuple[str, ...] = ("event", "relation"), actor: str | None = None,
                     top: int | None = None, unit: Unit = "incidents") -> dict[str, Any]:
        """The network as nodes and edges, keeping the edges of the ``top`` actor pairs with
        the most facts between them (weight); ``pairs`` says how many pairs there are."""
        net = self.network(f, types=types, kinds=kinds, actor=actor, unit=unit)

        def pair(e: dict[str, Any]) -> tuple[str, str]:
            a, b = e["source"], e["target"]
            return (a, b) if a <= b else (b, a)

        weight = Counter(pair(e) for e in net.edges)
        ranked = sorted(weight, key=lambda p: (-weight[p], p))
        keep = set(ranked if top is None else ranked[:top])
        # Facts of one kind and type between the same two actors in the same direction are
        # drawn as one edge (the first fact's evidence, ``facts`` how many there are).
        merged: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        for e in net.edges:
            if pair(e) not in keep:
                continue
            key = (e["source"], e["target"], e["kind"], e["type"])
            if key in merged:
                merged[key]["facts"] += 1
                merged[key]["last_date"] = e.get("date") or merged[key]["last_date"]
            else:
                merged[key] = dict(e, weight=weight[pair(e)], facts=1, last_date=e.get("date"))
        edges = list(merged.values())
        used = {e["source"] for e in edges} | {e["target"] for e in edges}
        return {"nodes": [n for n in net.nodes.values() if n["id"] in used], "edges": edges,
                "pairs": len(weight), "pairs_shown": len(keep), "edges_total": len(net.edges),
                "facts_shown": sum(e["facts"] for e in edges)}

    # -- watchlists --------------------------------------------------------------------

    def save_watchlist(self, name: str, fields: dict[str, Any], created_by: str
                       ) -> dict[str, Any]:
        from wirewatch.store.watchlists import save

        return save(self.store, name, fields, created_by)

    def watchlists(self) -> list[dict[str, Any]]:
        from wirewatch.store.watchlists import all_watchlists

        return all_watchlists(self.store)

    def watchlist(self, name: str) -> dict[str, Any] | None:
        from wirewatch.store.watchlists import get

        return get(self.store, name)

    def delete_watchlist(self, name: str) -> int:
        from wirewatch.store.watchlists import remove

        return remove(self.store, name)

    def watchlist_events(self, name: str, limit: int | None = 50,
                         cursor: str | None = None) -> Page | None:
        """One page of the events a watchlist matches, newest ingested first, each with
        ``ingested_at``, and how many it matches in all; None when there is no such
        watchlist."""
        from wirewatch.store.lists import newest_events
        from wirewatch.store.watchlists import filters, get

        row = get(self.store, name)
        if row is None:
            return None
        page = newest_events(self.store, filters(row), limit, cursor)
        when = {r["id"]: r["ingested_at"] for r in page.items}
        items = {e["id"]: e for e in self.events(Filters(ids=list(when))).items} \
            if when else {}
        page.items = [dict(items[i], ingested_at=when[i]) for i in when if i in items]
        return page

    # -- tokens ------------------------------------------------------------------------

    def create_token(self, name: str, scopes: Sequence[str] | None = None
                     ) -> tuple[str, str]:
        from wirewatch.store.tokens import SCOPES, create_token

        return create_token(self.store, name, tuple(scopes or SCOPES))

    def list_tokens(self) -> list[dict[str, Any]]:
        from wirewatch.store.tokens import list_tokens

        return list_tokens(self.store)

    def revoke_token(self, token: str) -> int:
        from wirewatch.store.tokens import revoke_token

        return revoke_token(self.store, token)

    def verify_token(self, token: str | None) -> tuple[str, set[str]] | None:
        """(name, scopes) of a valid token."""
        from wirewatch.store.tokens import verify_token

        return verify_token(self.store, token)

    def verify_digest(self, digest: str | None) -> tuple[str, set[str]] | None:
        from wirewatch.store.tokens import verify_digest

        return verify_digest(self.store, digest)


def _is_live(arg: str | Path) -> bool:
    """A URL to fetch or a WARC archive (anything else is a file or folder)."""
    text = str(arg).lower()
    return text.startswith(("http://", "https://")) or text.endswith((".warc", ".warc.gz"))


def _guess_kind(url: str) -> str:
    path = url.lower().split("?", 1)[0]
    if "sitemap" in path:
        return "sitemap"
    if any(w in path for w in ("feed", "rss", "atom")) or path.endswith(".xml"):
        return "feed"
    return "page"


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(text: str) -> int:
    """'90s', '15m', '2h', '1d' (or plain seconds) to seconds; at least one minute apart
    would be polite, but tests and local servers may ask for less."""
    text = text.strip().lower()
    unit = text[-1:] if text[-1:] in _UNITS else "s"
    number = text[:-1] if text[-1:] in _UNITS else text
    try:
        seconds = int(float(number) * _UNITS[unit])
    except ValueError:
        raise ValueError(f"{text!r} is not an interval; use e.g. 90s, 15m, 2h, 1d") from None
    if seconds < 1:
        raise ValueError(f"{text!r} is not an interval; use e.g. 90s, 15m, 2h, 1d")
    return seconds


def _unit(f: Filters | None, unit: str) -> Filters:
    """The filters, counting in ``unit`` (incidents or events)."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}: use incidents or events")
    return replace(f or Filters(), unit=unit)  # type: ignore[arg-type]


def _facets(kind: str, wanted: Sequence[str]) -> tuple[str, ...]:
    allowed = FACETS[kind]
    bad = [w for w in wanted if w not in allowed]
    if bad:
        raise ValueError(f"unknown facet {bad[0]!r} for {kind}: use {', '.join(allowed)}")
    return tuple(dict.fromkeys(wanted))


def _fill_gaps(per_day: dict[str, dict[str, int]], max_days: int = 800) -> None:
    """Empty days between the first and last, so the chart's x axis is time."""
    days = sorted(d for d in per_day if d != "undated")
    if len(days) < 2:
        return
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    if (last - first).days > max_days:
        return
    d = first
    while d < last:
        per_day.setdefault(d.isoformat(), {})
        d += timedelta(days=1)
