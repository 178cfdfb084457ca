"""Synthetic content for a national tracker: N recommendations across many local
authorities over a decade, deterministic by seed.

    python benchmarks/synthetic.py --recommendations 1000 --out /tmp/national/content

The content is invented (fictional authorities, reports at `reports.example`) and shaped
like the real thing: every authority is inspected every two to four years; each
inspection reports strengths and concerns and makes recommendations on recurring themes;
later recommendations follow earlier ones on the same theme; the authority reports
progress against each recommendation (self-reported) and the next inspection judges it
(independent). About three updates per recommendation, each resting on a published
source and, where an inspection judged it, on that inspection's findings. Some due dates
slip, with a reason and a source. It goes through the same loader as real content, so a
generator bug is a content error, not a silently wrong benchmark.
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

#: The tracker's themes: the concerns national inspections keep raising.
THEMES = {
    "workforce-stability": ("Workforce stability", "high caseloads and reliance on agency social workers", "recruit and keep permanent social workers"),
    "management-oversight": ("Management oversight and supervision", "supervision that is infrequent and does not challenge drift", "make supervision regular, reflective and recorded"),
    "care-leavers": ("Care leavers", "care leavers without suitable accommodation or a personal adviser", "give every care leaver a personal adviser and a pathway plan"),
    "health-and-education": ("Health and education of children in care", "delays in health assessments and personal education plans", "complete health assessments and education plans on time"),
    "front-door": ("The front door and early help", "thresholds applied inconsistently at the front door", "apply thresholds consistently and record the reasons for decisions"),
    "child-protection": ("Child protection planning", "child protection plans that are not specific or measurable", "make every child protection plan specific, measurable and reviewed"),
    "permanence": ("Permanence planning", "children waiting too long for a permanent home", "agree a permanence plan at the second review"),
    "placement-sufficiency": ("Sufficiency of placements", "too few local foster carers, so children live far from home", "recruit enough local foster carers and residential places"),
    "missing-and-exploitation": ("Children missing and at risk of exploitation", "return home interviews that are late or not offered", "offer every child a return home interview within 72 hours"),
    "voice-of-the-child": ("The child's voice", "children's wishes and feelings not recorded or acted on", "record children's views and show how plans respond to them"),
    "quality-assurance": ("Performance information and quality assurance", "audits that do not lead to improvement", "use audits and performance data to improve practice"),
    "disabled-children": ("Disabled children", "assessments of disabled children that miss safeguarding risks", "assess disabled children's needs and risks together"),
    "corporate-parenting": ("Corporate parenting", "elected members with little oversight of children in care", "give the corporate parenting board a clear line of sight to practice"),
    "private-fostering": ("Private fostering", "privately fostered children not identified or visited", "raise awareness and visit privately fostered children on time"),
    "leadership": ("Leadership and culture", "frequent changes of senior leaders", "keep a stable senior leadership team with a clear improvement plan"),
}

_PLACE_START = ("North", "South", "East", "West", "Upper", "Lower", "Great", "Little", "Old", "New", "High", "Long", "Fair", "Red", "Green", "Stone", "Ash", "Oak", "Elm", "Brook")
_PLACE_END = ("bridge", "moor", "field", "ford", "ham", "wick", "by", "thorpe", "ley", "stead", "mouth", "borough", "vale", "combe", "hurst", "shire", "dale", "minster", "port", "well")
_INSPECTORATE = "National Children's Inspectorate"
_STRENGTHS = (
    "Children are seen regularly and alone by social workers who know them well.",
    "Care leavers speak highly of their personal advisers.",
    "Multi-agency working at the front door is timely and well informed.",
    "Senior leaders have an accurate understanding of the quality of practice.",
    "Foster carers feel well supported and receive good training.",
    "Children's views are captured creatively and influence their plans.",
)


@dataclass
class Authority:
    id: str
    name: str
    inspections: list = field(default_factory=list)


def _authorities(count: int, rng: random.Random) -> list[Authority]:
    names: list[str] = []
    for start in _PLACE_START:
        for end in _PLACE_END:
            names.append(f"{start}{end}")
    rng.shuffle(names)
    if count > len(names):  # beyond 400 authorities, number the rest
        names += [f"{names[i % len(names)]} {i // len(names) + 1}" for i in range(len(names), count)]
    chosen = sorted(names[:count])
    return [Authority(_slug(n), n) for n in chosen]


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def _month(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, 28))


def generate(out: Path, recommendations: int, *, seed: int = 1, today: date = date(2026, 11, 25), updates_per_recommendation: int = 3) -> dict[str, int]:
    """Write a content folder at `out` with about `recommendations` recommendations.
    Returns the counts written."""
    rng = random.Random(seed)
    per_inspection = 7
    inspections_wanted = max(2, round(recommendations / per_inspection))
    authorities = _authorities(max(1, round(inspections_wanted / 4)), rng)
    first_year = today.year - 10

    if out.exists():
        shutil.rmtree(out)
    for folder in ("inspections", "updates", "plans", "pages"):
        (out / folder).mkdir(parents=True)

    themes = [
        {"id": tid, "title": title, "summary": f"Inspections often find {problem}. Inspectors ask authorities to {ask}.", "sources": []}
        for tid, (title, problem, ask) in THEMES.items()
    ]
    theme_ids = list(THEMES)
    sources: list[dict] = [
        {
            "id": "national-framework",
            "title": "Inspecting local authority children's services: framework",
            "publisher": _INSPECTORATE,
            "kind": "inspection-report",
            "date": f"{first_year}-01",
            "url": "https://reports.example/framework",
            "notes": "The framework every inspection in this tracker follows.",
        }
    ]
    counts = {"inspections": 0, "findings": 0, "recommendations": 0, "updates": 0, "sources": 1}
    updates_written = 0
    made = 0
    # Inspections across authorities, round-robin, each about three years after the last.
    schedule: list[tuple[date, Authority]] = []
    for authority in authorities:
        day = date(first_year, 1, 1) + timedelta(days=rng.randrange(0, 900))
        while day < today - timedelta(days=200):
            schedule.append((day, authority))
            day += timedelta(days=rng.randrange(730, 1460))
    schedule.sort(key=lambda pair: (pair[0], pair[1].id))
    schedule = schedule[:inspections_wanted]
    remaining = recommendations
    earlier_by_theme: dict[tuple[str, str], list[str]] = {}
    current_plan_recs: list[str] = []

    for index, (visit, authority) in enumerate(schedule):
        if remaining <= 0:
            break
        left = len(schedule) - index
        n_recs = max(1, min(remaining, round(remaining / left) + rng.randint(-2, 2)))
        if index == len(schedule) - 1:
            n_recs = remaining
        remaining -= n_recs
        inspection_id = f"{visit.year}-{authority.id}"
        if any(i["id"] == inspection_id for i in authority.inspections):
            inspection_id += f"-{visit.month:02d}"
        end = visit + timedelta(days=4)
        published = visit + timedelta(days=rng.randrange(35, 70))
        report_id = f"{inspection_id}-report"
        sources.append(
            {
                "id": report_id,
                "title": f"{authority.name}: inspection of local authority children's services, {visit.year}",
                "publisher": _INSPECTORATE,
                "kind": "inspection-report",
                "date": published.isoformat(),
                "url": f"https://reports.example/{authority.id}/{inspection_id}.pdf",
            }
        )
        counts["sources"] += 1
        follows = authority.inspections[-1]["id"] if authority.inspections else None
        chosen_themes = rng.sample(theme_ids, k=min(len(theme_ids), max(2, n_recs)))
        findings = []
        for f, text in enumerate(rng.sample(_STRENGTHS, k=2), start=1):
            findings.append({"id": f"{inspection_id}-f{f:02d}", "kind": "strength", "text": text, "source": report_id, "section": "Summary"})
        for f, theme in enumerate(chosen_themes[:3], start=3):
            findings.append(
                {
                    "id": f"{inspection_id}-f{f:02d}",
                    "kind": "concern",
                    "text": f"Inspectors found {THEMES[theme][1]}, so some children experience drift and delay.",
                    "source": report_id,
                    "section": "What needs to improve",
                }
            )
        concerns = [f["id"] for f in findings if f["kind"] == "concern"]
        recs = []
        for r in range(1, n_recs + 1):
            theme = chosen_themes[(r - 1) % len(chosen_themes)]
            title, problem, ask = THEMES[theme]
            rec_id = f"{inspection_id}-r{r}"
            rec: dict = {
                "id": rec_id,
                "label": f"Recommendation {r}",
                "title": f"{title} in {authority.name}"[:120],
                "text": (
                    f"The local authority should {ask}. Inspectors found {problem}; see the "
                    f"[published report](https://reports.example/{authority.id}/{inspection_id}.pdf)."
                ),
                "themes": [theme] + ([rng.choice(theme_ids)] if rng.random() < 0.3 else []),
                "sources": [{"source": report_id, "section": "What needs to improve"}],
            }
            rec["themes"] = list(dict.fromkeys(rec["themes"]))
            if rng.random() < 0.6:
                due = _add_months(end, rng.choice((6, 12, 18)))
                rec["due"] = {"date": _month(due), "note": "as set in the authority's action plan"}
                if rng.random() < 0.15:
                    rec["revised_due"] = [
                        {
                            "date": _month(_add_months(due, rng.choice((3, 6, 9)))),
                            "reason": "The authority said recruitment had taken longer than planned.",
                            "decided": _month(_add_months(due, -1)),
                            "source": report_id,
                        }
                    ]
            earlier = earlier_by_theme.get((authority.id, theme))
            if earlier and follows:
                rec["follows"] = earlier[-1:]
            if rng.random() < 0.5:
                rec["owner"] = f"Director of Children's Services, {authority.name}"
            recs.append(rec)
            made += 1
        for rec in recs:
            earlier_by_theme.setdefault((authority.id, rec["themes"][0]), []).append(rec["id"])
        inspection = {
            "id": inspection_id,
            "title": f"Inspection of {authority.name} children's services",
            "kind": "inspection" if not follows or rng.random() < 0.7 else "follow-up",
            "inspectorate": _INSPECTORATE,
            "period": f"{visit.isoformat()}..{end.isoformat()}",
            "published": published.isoformat(),
            "scope": f"Services for children in need of help and protection, children in care and care leavers in {authority.name}.",
            "headline": f"Inspectors judged {authority.name}'s services to {rng.choice(('require improvement', 'be good', 'be inadequate'))}.",
            "summary": (
                f"Inspectors found that {authority.name} had made progress in some areas, but that "
                f"{THEMES[chosen_themes[0]][1]} remained a concern. They made {n_recs} recommendations."
            ),
            "sources": [report_id],
            "recommendations_made": n_recs,
            "findings": findings,
            "recommendations": recs,
        }
        if follows:
            inspection["follows"] = follows
        _write_yaml(out / "inspections" / f"{inspection_id}.yml", inspection)
        authority.inspections.append({"id": inspection_id, "end": end, "published": published, "recs": recs, "concerns": concerns, "report": report_id})
        counts["inspections"] += 1
        counts["findings"] += len(findings)
        counts["recommendations"] += len(recs)
        if not current_plan_recs:
            current_plan_recs = [r["id"] for r in recs]

    # Progress: the authority's own reports, then the next inspection's judgment.
    progress_sources: dict[tuple[str, int], str] = {}
    for authority in authorities:
        for position, inspection in enumerate(authority.inspections):
            following = authority.inspections[position + 1] if position + 1 < len(authority.inspections) else None
            for rec in inspection["recs"]:
                steps = _progress_steps(rng, updates_per_recommendation, following is not None)
                day = inspection["published"]
                for step, (status, evidence) in enumerate(steps, start=1):
                    if evidence == "independent-inspection":
                        when = following["end"]
                        source = {"source": following["report"], "section": "Progress since the last inspection"}
                        findings = following["concerns"][:1] if status == "not-met" else []
                    else:
                        day = day + timedelta(days=rng.randrange(60, 240))
                        if following is not None:
                            day = min(day, following["end"] - timedelta(days=1))
                        when = min(day, today - timedelta(days=1))
                        key = (authority.id, when.year)
                        if key not in progress_sources:
                            source_id = f"{authority.id}-progress-{when.year}"
                            sources.append(
                                {
                                    "id": source_id,
                                    "title": f"{authority.name} children's services: progress report {when.year}",
                                    "publisher": f"{authority.name} Council",
                                    "kind": "government-publication",
                                    "date": str(when.year),
                                    "url": f"https://reports.example/{authority.id}/progress-{when.year}",
                                }
                            )
                            progress_sources[key] = source_id
                            counts["sources"] += 1
                        source = {"source": progress_sources[key], "section": f"Action plan, {rec['label']}"}
                        findings = []
                    update_id = f"{when.isoformat()}-{rec['id']}-{step}"
                    _write_update(out / "updates" / f"{update_id}.md", rec, status, evidence, when, source, findings, authority.name, rng)
                    updates_written += 1

    counts["updates"] = updates_written
    plans = [
        {
            "id": "national-improvement-programme",
            "title": "National children's services improvement programme",
            "current": True,
            "announced": str(first_year),
            "summary": "The programme under which authorities judged inadequate receive support from a partner authority.",
            "key_areas": [
                {"id": "early-support", "title": "Support for authorities judged inadequate", "recommendations": current_plan_recs[:5]},
                {"id": "workforce", "title": "A stable workforce"},
            ],
            "sources": ["national-framework"],
        }
    ]
    for plan in plans:
        _write_yaml(out / "plans" / f"{plan['id']}.yml", plan)
    _write_yaml(out / "sources.yml", sources)
    _write_yaml(out / "themes.yml", themes)
    counts["themes"] = len(themes)
    return counts


def _progress_steps(rng: random.Random, count: int, judged: bool) -> list[tuple[str, str]]:
    """A plausible sequence of statuses: self-reported progress, then (if the authority
    was inspected again) the inspectors' judgment."""
    steps = [("in-progress", "self-reported")]
    while len(steps) < count - (1 if judged else 0):
        steps.append((rng.choice(("in-progress", "partly-met", "met")), "self-reported"))
    if judged:
        steps.append((rng.choice(("met", "met", "partly-met", "not-met")), "independent-inspection"))
    return steps[:count]


def _write_update(path: Path, rec: dict, status: str, evidence: str, when: date, source: dict, findings: list, authority: str, rng: random.Random) -> None:
    labels = {"in-progress": "work is under way", "partly-met": "it is partly met", "met": "it is met", "not-met": "it is not met"}
    who = "the inspectors" if evidence == "independent-inspection" else f"{authority} Council"
    meta = {
        "title": f"{rec['title']}: {labels[status]}",
        "date": when.isoformat(),
        "recommendations": [rec["id"]],
        "status": status,
        "evidence": evidence,
        "sources": [source],
        "summary": f"{who.capitalize()} reported that {labels[status]} on {rec['label'].lower()}.",
    }
    if findings:
        meta["findings"] = findings
    body = (
        f"{who.capitalize()} reported on {rec['label'].lower()} of the inspection, which asked the authority to "
        f"{rec['text'].split('should ', 1)[1].split('.', 1)[0]}.\n\n"
        f"According to the report, {labels[status]}: "
        + rng.choice(
            (
                "a new recruitment campaign has reduced the number of agency staff, and caseloads are now *lower*.",
                "managers now review every case each month, and the reviews are recorded on the child's file.",
                "an audit of 40 cases found that most plans were specific and reviewed on time.",
                "the service has written new guidance and trained its staff, but the effect is not yet known.",
            )
        )
        + f"\n\nRead the [full report]({'https://reports.example/' + source['source']}) for the evidence.\n"
    )
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")


def _write_yaml(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recommendations", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="the content folder to write (replaced if it exists)")
    args = parser.parse_args(argv)
    counts = generate(args.out, args.recommendations, seed=args.seed)
    print(", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
