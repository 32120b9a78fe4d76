"""The compiled book: built from the release, no leaks, no CDN, every page present; staging helpers."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from coursekit.book.build import glossary_links_to_roles, merged_bibliography
from coursekit.core.glossary import glossary_entries, glossary_links_to_urls, glossary_terms, slug_of
from coursekit.grading.course import Course
from coursekit.grading.hidden_tests import load_plan
from coursekit.grading.leaks import scan, secrets_of

REPO = Path(__file__).resolve().parents[1]


def test_glossary_links_become_roles_and_urls():
    text = "See [due diligence](glossary:due-diligence) and [CBMs](glossary:confidence-building-measures)."
    assert glossary_links_to_roles(text) == (
        "See {term}`due diligence <due diligence>` and {term}`CBMs <confidence building measures>`."
    )
    assert "[CBMs](https://x.org/book/glossary.html#term-confidence-building-measures)" in glossary_links_to_urls(
        text, "https://x.org/book/glossary.html"
    )


def test_glossary_fragments_parse_and_every_linked_term_is_defined():
    terms = set()
    for fragment in (REPO / "book" / "glossary").glob("*.md"):
        entries = glossary_entries(fragment.read_text(encoding="utf-8"))
        assert entries, f"{fragment} defines no term"
        for term, lines in entries:
            assert lines, f"{fragment}: {term!r} has no definition"
            terms.add(slug_of(term))
    linked = set()
    for notebook in (REPO / "notebooks").glob("*/*.ipynb"):
        linked |= set(re.findall(r"\]\(glossary:([a-z0-9-]+)\)", notebook.read_text()))
    assert linked, "no notebook links a glossary term"
    assert linked <= terms, f"linked but not defined: {sorted(linked - terms)}"


def test_bibliography_merge_keeps_each_key_once(tmp_path: Path):
    refs = tmp_path / "book" / "references"
    refs.mkdir(parents=True)
    (refs / "a.bib").write_text("@misc{UN-A-70-174,\n title={First}\n}\n")
    (refs / "b.bib").write_text("@misc{UN-A-70-174,\n title={Second}\n}\n@misc{EU-2022-2555,\n title={NIS2}\n}\n")
    merged = merged_bibliography(tmp_path)
    assert merged.count("UN-A-70-174") == 1 and "First" in merged and "EU-2022-2555" in merged


# --- the built book -----------------------------------------------------------------------------------


def toc_files() -> list[str]:
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc["parts"]:
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


def test_toc_lists_every_topic_of_the_course():
    course = Course(REPO)
    listed = {f.split("/")[1] for f in toc_files() if f.startswith("release/")}
    assert listed == set(course.topics())


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.remote: list[str] = []
        self.images_without_alt: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        for attr in ("src", "href"):
            value = a.get(attr) or ""
            loads = tag in ("script", "img", "iframe", "audio", "video", "source") or (
                tag == "link" and (a.get("rel") or "") in ("stylesheet", "preload", "modulepreload", "icon")
            )
            if loads and re.match(r"^(https?:)?//", value):
                self.remote.append(f"<{tag} {attr}={value}>")
        if tag == "img" and not (a.get("alt") or "").strip():
            self.images_without_alt.append(a.get("src", "")[:60])


@pytest.mark.slow
def test_every_toc_page_is_built(built_book: Path):
    for page in toc_files():
        assert (built_book / f"{page}.html").exists(), page


@pytest.mark.slow
def test_no_key_hidden_test_or_solution_anywhere_in_the_book(built_book: Path):
    course = Course(REPO)
    for topic in course.topics():
        leaks = scan([built_book], secrets_of(course.source_notebook(topic)))
        assert not leaks, "\n".join(map(str, leaks[:10]))
    assert (built_book / "searchindex.js").exists()
    downloads = list((built_book / "_sources").rglob("*.ipynb"))
    assert len(downloads) >= len(course.topics()), "the downloadable notebooks should be scanned too"


@pytest.mark.slow
def test_no_page_loads_anything_from_the_network(built_book: Path):
    problems = []
    for page in built_book.rglob("*.html"):
        parser = _Assets()
        parser.feed(page.read_text(encoding="utf-8", errors="ignore"))
        problems += [f"{page.relative_to(built_book)}: {r}" for r in parser.remote]
    for sheet in built_book.rglob("*.css"):
        for url in re.findall(r"@import\s+url\(['\"]?(https?:[^)'\"]+)", sheet.read_text(errors="ignore")):
            problems.append(f"{sheet.name}: @import {url}")
    assert not problems, "\n".join(problems[:20])


@pytest.mark.slow
def test_every_image_has_alt_text(built_book: Path):
    missing = []
    for page in built_book.rglob("*.html"):
        parser = _Assets()
        parser.feed(page.read_text(encoding="utf-8", errors="ignore"))
        missing += [f"{page.relative_to(built_book)}: {src}" for src in parser.images_without_alt]
    assert not missing, "\n".join(missing[:20])


@pytest.mark.slow
def test_outcomes_matrix_lists_every_exercise(built_book: Path):
    page = (built_book / "book" / "outcomes.html").read_text(encoding="utf-8")
    course = Course(REPO)
    for topic in course.topics():
        for exercise_id in load_plan(course.source_notebook(topic)).all_exercises:
            assert exercise_id in page, exercise_id


@pytest.mark.slow
def test_graded_exercises_in_the_book_carry_no_key(built_book: Path):
    import json

    for page in (built_book / "release").rglob("*.html"):
        for raw in re.findall(
            r"<script type=.application/json. class=.coursekit-spec.>(.*?)</script>", page.read_text()
        ):
            spec = json.loads(raw.replace("<\\/", "</"))
            if spec["mode"] == "graded":
                text = json.dumps(spec)
                assert "key" not in spec and "feedback" not in text and "explanations" not in spec, spec["id"]


@pytest.mark.slow
def test_book_shows_each_exercise_in_its_fixed_shuffled_order(built_book: Path):
    """Every choice list in the built pages is in the book's order for its exercise id (the same in every
    build), and most are not in the author's order."""
    import json

    from coursekit.analysis.assessment import course_notebooks, read_course
    from coursekit.core.order import BOOK_SEED, shown_orders
    from coursekit.topics import forum_chooser, tool_chooser

    exercises = [*read_course(course_notebooks(REPO / "notebooks")).exercises]
    course = {ex.id: ex for ex in [*exercises, forum_chooser.scenario(), tool_chooser.scenario()]}
    lists, unmoved = 0, 0
    for page in (built_book / "release").rglob("*.html"):
        for raw in re.findall(
            r"<script type=.application/json. class=.coursekit-spec.>(.*?)</script>", page.read_text()
        ):
            spec = json.loads(raw.replace("<\\/", "</"))
            ex = course[spec["id"]]
            shown = {
                "choices": [c["value"] for c in spec.get("choices", [])],
                "right": spec.get("right"),
                "items": spec.get("items"),
            }
            shown.update({s["id"]: [o["value"] for o in s["options"]] for s in spec.get("steps", [])})
            for part, order in shown_orders(ex, BOOK_SEED).items():
                assert shown[part] == order, (spec["id"], part)
                lists += 1
                unmoved += shown[part] == _authored(ex, part)
    assert lists >= 60
    print(f"book: {unmoved} of {lists} choice lists in the author's order")
    assert unmoved <= lists * 0.2


def _authored(ex, part: str) -> list[str]:
    """A choice list of ``ex`` in the order its author wrote it."""
    if part == "choices":
        return [c.value for c in ex.choices]
    if part in ("right", "items"):
        return list(getattr(ex, part))
    return [o.value for o in ex.step(part).options]


@pytest.mark.slow
def test_no_key_or_hidden_test_anywhere_in_the_participant_release(built_course: Path):
    """Every file of release/, for every topic (the book fixture builds the release first)."""
    course = Course(built_course)
    assert sorted(p.name for p in course.release.iterdir()) == course.topics()
    for topic in course.topics():
        leaks = scan([course.release], secrets_of(course.source_notebook(topic)))
        assert not leaks, "\n".join(map(str, leaks[:10]))


def test_the_leak_scan_finds_a_planted_key(tmp_path: Path):
    """The scan is not vacuous: a hidden-test line or a key copied into a released file is found."""
    course = Course(REPO)
    source = course.source_notebook("08-nis")
    secrets = secrets_of(source)
    planted = tmp_path / "notes.md"
    planted.write_text('Reminder for myself: check("t08-cross-border-incident", key="warn-neighbour",\n')
    assert [leak.secret for leak in scan([tmp_path], secrets)] == [
        'check("t08-cross-border-incident", key="warn-neighbour",'
    ]


@pytest.mark.slow
def test_release_refuses_a_notebook_that_would_leak(tmp_path: Path):
    """A key written outside the hidden-test block reaches the release: `coursekit release` must refuse."""
    import shutil
    import subprocess
    import sys

    import nbformat

    shutil.copy(REPO / "nbgrader_config.py", tmp_path)
    shutil.copy(REPO / "_config.yml", tmp_path)
    shutil.copytree(REPO / "notebooks" / "00-orientation", tmp_path / "notebooks" / "00-orientation")
    path = tmp_path / "notebooks" / "00-orientation" / "00-orientation.ipynb"
    nb = nbformat.read(path, as_version=4)
    hidden = next(c for c in nb.cells if "BEGIN HIDDEN TESTS" in c.source)
    nb.cells.append(nbformat.v4.new_markdown_cell("Answer: " + hidden.source.splitlines()[2]))
    nbformat.write(nb, path)
    done = subprocess.run(
        [sys.executable, "-m", "coursekit.cli", "release", "--no-exchange", "--course", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1
    assert "Refusing to release 00-orientation" in done.stderr
    assert not (tmp_path / "release" / "00-orientation").exists()


def test_outcome_totals_count_graded_items_points_and_decisions_per_outcome():
    from coursekit import Choice, RubricCriterion, ShortText, SingleChoice
    from coursekit.analysis.assessment import outcome_totals

    choices = [Choice("a", feedback="x"), Choice("b", feedback="y")]
    items = [
        SingleChoice(id="tb-practice", prompt="p", choices=choices, key="a", outcomes=["LO1"], points=1),
        SingleChoice(
            id="tb-recall",
            prompt="p",
            choices=[Choice("a"), Choice("b")],
            mode="graded",
            points=2,
            demand="recall",
            outcomes=["LO1", "LO3"],
        ),
        ShortText(
            id="tb-plan",
            prompt="p",
            mode="graded",
            points=4,
            demand="product",
            outcomes=["LO1", "LO2"],
            rubric=[RubricCriterion("c", 4)],
        ),
    ]
    totals = outcome_totals(items)
    lo1 = totals["LO1"]
    assert (lo1.exercises, lo1.points, lo1.graded, lo1.graded_points, lo1.decide_or_produce) == (3, 7, 2, 6, 1)
    assert (totals["LO2"].graded, totals["LO2"].decide_or_produce) == (1, 1)
    assert (totals["LO3"].graded, totals["LO3"].decide_or_produce) == (1, 0)
    assert totals["LO4"].exercises == 0 and set(totals) == {"LO1", "LO2", "LO3", "LO4", "LO5"}


# --- what readers meet: no Python reprs, no unused widget state, light pages (issue 17) ------------------

REPRS = ("VBox(", "HBox(", "HTML(value=", "<coursekit.", "object at 0x")


def visible_text(page: str) -> str:
    """A page's text as a reader sees it: scripts and styles dropped, entities decoded."""
    import html as html_module

    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html_module.unescape(re.sub(r"<[^>]+>", " ", page))


def test_visible_text_finds_an_escaped_widget_repr():
    """The crawl below is not vacuous: a repr printed as text/plain (escaped in the HTML) is found."""
    page = "<div class='output text_plain'><pre>VBox(children=(HTML(value=&#39;x&#39;),))</pre></div><script>VBox(</script>"
    assert [r for r in REPRS if r in visible_text(page)] == ["VBox(", "HTML(value="]
    assert "<coursekit." in visible_text("<pre>&lt;coursekit.topics.cascade.Network object at 0x7f&gt;</pre>")


@pytest.mark.slow
def test_no_page_shows_a_python_object_representation(built_book: Path):
    found = []
    for page in sorted(built_book.rglob("*.html")):
        text = visible_text(page.read_text(encoding="utf-8", errors="ignore"))
        found += [f"{page.relative_to(built_book)}: {r}" for r in REPRS if r in text]
    assert not found, "\n".join(found)


@pytest.mark.slow
def test_every_topic_interactive_shows_a_walkthrough_that_says_how_to_run_it_live(built_book: Path):
    for topic in ("02-environment", "08-nis", "09-critical-infrastructure", "11-toolbox", "12-stability-cbms"):
        page = (built_book / "release" / topic / f"{topic}.html").read_text(encoding="utf-8")
        assert "coursekit-walkthrough" in page, topic
        assert (
            "open this topic&#x27;s notebook in JupyterLab" in page
            or "open this topic's notebook in JupyterLab" in page
        ), topic
        assert "output text_plain" not in page, f"{topic}: an output is shown as plain text"


@pytest.mark.slow
def test_topic_pages_carry_no_widget_state_or_embedded_pictures_and_weigh_under_150_kb(built_book: Path):
    """A page's own HTML, every byte counted: figures are image files beside it (cached, loaded lazily)."""
    heavy, linked = [], 0
    for page in sorted((built_book / "release").rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert "application/vnd.jupyter.widget-state+json" not in text, page.name
        assert "data:image/" not in text, f"{page.name}: a picture embedded in the page"
        if len(text.encode("utf-8")) >= 150_000:
            heavy.append(f"{page.name}: {len(text.encode('utf-8')) // 1000} KB")
        for src in re.findall(r"<img [^>]*src=['\"]([^'\"]+_images/[^'\"]+)['\"][^>]*loading=['\"]lazy", text):
            assert (page.parent / src).resolve().is_file(), f"{page.name}: {src} missing"
            linked += 1
    assert not heavy, heavy
    assert linked >= 12, "every topic has figures: they should be linked as lazy image files"


# --- launch buttons and where graded work is submitted (issue 17) ---------------------------------------


def test_github_pages_address_is_derived_from_the_repository():
    from coursekit.grading.course import github_pages_url

    assert github_pages_url("https://github.com/Cyber-Org/my-course") == "https://cyber-org.github.io/my-course"
    assert github_pages_url("https://github.com/org/course.git") == "https://org.github.io/course"
    assert github_pages_url("https://gitlab.com/org/course") == ""


def test_staged_config_derives_addresses_and_adds_a_hub_button_only_when_a_hub_is_named(tmp_path: Path):
    from coursekit.book.build import staged_config

    config = yaml.safe_load((REPO / "_config.yml").read_text())
    config["repository"]["url"] = "https://github.com/example-org/example-course"
    config["launch_buttons"]["jupyterhub_url"] = ""
    config.get("html", {}).pop("baseurl", None)
    import shutil

    shutil.copy(REPO / "nbgrader_config.py", tmp_path)
    (tmp_path / "_config.yml").write_text(yaml.safe_dump(config))
    staged = yaml.safe_load(staged_config(Course(tmp_path)))
    assert staged["html"]["baseurl"] == "https://example-org.github.io/example-course/"
    assert "jupyterhub_url" not in staged["launch_buttons"]
    assert Course(tmp_path).glossary_url == "https://example-org.github.io/example-course/book/glossary.html"
    config["launch_buttons"]["jupyterhub_url"] = "https://hub.course.test"
    (tmp_path / "_config.yml").write_text(yaml.safe_dump(config))
    assert (
        yaml.safe_load(staged_config(Course(tmp_path)))["launch_buttons"]["jupyterhub_url"] == "https://hub.course.test"
    )


def test_graded_note_and_howto_agree_on_where_to_answer_and_submit():
    from coursekit.render.book_html import static_text

    script = static_text("coursekit-book.js")
    note = re.search(r'const GRADED_NOTE = ((?:"[^"]*"\s*\+?\s*)+);', script).group(1)
    note = "".join(re.findall(r'"([^"]*)"', note))
    howto = " ".join((REPO / "book" / "howto.md").read_text(encoding="utf-8").split())
    for place in ("course's hub", "local JupyterLab with nbgrader", "Assignments"):
        assert place in note and place in howto, place
    assert "Binder can run the notebook but cannot submit" in note
    assert "Binder can run any topic's notebook" in howto and "cannot submit" in howto


@pytest.mark.slow
def test_launch_buttons_come_from_the_repository_and_no_placeholder_hub_ships(built_book: Path):
    repository = yaml.safe_load((REPO / "_config.yml").read_text())["repository"]["url"]
    org_repo = repository.removeprefix("https://github.com/")
    page = (built_book / "release" / "07-norms" / "07-norms.html").read_text(encoding="utf-8")
    binder = re.findall(r'href="(https://mybinder\.org/[^"]+)"', page)
    assert binder and all(
        f"/v2/gh/{org_repo}/" in link and "release/07-norms/07-norms.ipynb" in link for link in binder
    )
    # the path in the link starts at the repository root: no "./" (urlpath=lab/tree/./release/...)
    assert all("tree/release/07-norms/" in link.replace("%2F", "/") for link in binder), binder
    configured_hub = yaml.safe_load((REPO / "_config.yml").read_text())["launch_buttons"].get("jupyterhub_url")
    for html_page in built_book.rglob("*.html"):
        text = html_page.read_text(encoding="utf-8", errors="ignore")
        assert "jupyterhub.example" not in text and "hub.example" not in text, html_page
        if not configured_hub:
            assert "hub/user-redirect" not in text, f"{html_page}: a JupyterHub button with no hub configured"


# --- references and glossary: links to official texts, proper capitals (issue 17) ------------------------


def test_official_urls_follow_from_the_reference():
    from coursekit.book.references import official_url

    assert (
        official_url("UN-A-70-174", "Report of the GGE (2015)", "UN document A/70/174, para 13")
        == "https://undocs.org/A/70/174"
    )
    assert (
        official_url("UN-A-HRC-RES-32-13", "t", "UN document A/HRC/RES/32/13, adopted 1 July 2016")
        == "https://undocs.org/A/HRC/RES/32/13"
    )
    eurlex = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:"
    assert official_url("EU-2022-2555", "Directive (EU) 2022/2555 (NIS2 Directive)", "") == eurlex + "32022L2555"
    assert official_url("x", "Council Decision (CFSP) 2019/797: restrictive measures", "") == eurlex + "32019D0797"
    assert official_url("x", "Regulation (EC) No 460/2004 (founding ENISA)", "") == eurlex + "32004R0460"
    assert official_url("x", "t", "JOIN(2013) 1, 7 February 2013") == eurlex + "52013JC0001"
    assert official_url("x", "Proposal for a Regulation", "COM(2022) 658, 27 April 2022") == eurlex + "52022PC0658"
    assert official_url("x", "Judgment in Case C-362/14, Schrems", "") == eurlex + "62014CJ0362"
    assert official_url("x", "RT France v Council, Case T-125/22", "") == eurlex + "62022TJ0125"  # General Court
    assert official_url("ETS-185", "Convention on Cybercrime", "ETS No. 185; opened ...").endswith("treatynum=185")
    assert official_url("x", "A speech", "Davos, 23 January 2019") is None


def test_every_reference_with_a_derivable_official_text_links_it():
    from coursekit.book.references import bib_fields, official_url

    linked = missing = 0
    for bib in sorted((REPO / "book" / "references").glob("*.bib")):
        for entry in re.split(r"\n(?=@)", bib.read_text(encoding="utf-8")):
            match = re.match(r"\s*@\w+\s*\{\s*([^,\s]+)", entry)
            if not match:
                continue
            fields = bib_fields(entry)
            expected = official_url(match.group(1), fields.get("title", ""), fields.get("note", ""))
            if expected:
                assert fields.get("url") == expected, f"{bib.name} {match.group(1)}: url should be {expected}"
            linked += "url" in fields
            missing += "url" not in fields
    assert linked > 2 * missing, (linked, missing)


def test_references_found_by_search_carry_their_address_and_kind():
    """The addresses checked for issue 29 (shared/reference-urls.tsv): each entry links its text or says
    that the link is where the document was announced."""
    from coursekit.book.references import bib_fields

    entries = {}
    for bib in sorted((REPO / "book" / "references").glob("*.bib")):
        for entry in re.split(r"\n(?=@)", bib.read_text(encoding="utf-8")):
            if match := re.match(r"\s*@\w+\s*\{\s*([^,\s]+)", entry):
                entries.setdefault(match.group(1), []).append(bib_fields(entry))
    announced = [key for key, copies in entries.items() if any(f.get("urlkind") for f in copies)]
    assert len(announced) >= 10
    for key, copies in entries.items():
        for fields in copies:
            assert fields.get("urlkind", "announcement") == "announcement", key
            assert "urlkind" not in fields or fields.get("url", "").startswith(("https://", "http://")), key
        assert len({(f.get("url"), f.get("urlkind")) for f in copies}) == 1, f"{key}: copies disagree"


def test_the_bibliography_style_labels_an_announcement_apart_from_the_text():
    from pybtex.database import Entry, Person
    from pybtex.plugin import find_plugin

    from coursekit.book.sphinx_bib import CourseStyle

    def rendered(**fields):
        entry = Entry("misc", fields={"title": "A Title", "year": "2020", **fields}, persons={"author": [Person("X")]})
        entry.key = "k"
        return CourseStyle().format_entry("k", entry).text.render(find_plugin("pybtex.backends", "html")())

    assert ">Official text</a>" in rendered(url="https://example.org/t")
    assert ">Announced at</a>" in rendered(url="https://example.org/a", urlkind="announcement")
    assert "Announced at" not in rendered(url="https://example.org/t")


def test_most_references_of_the_book_link_their_official_text():
    """The share of the book's bibliography (each entry once, as merged for the book) that links its text.

    Entries with no stable official address (speeches, press statements, reports of private bodies) stay
    unlinked rather than point to a guessed address; the floor only rises as links are added.
    """
    from coursekit.book.references import bib_fields

    entries = [e for e in re.split(r"\n(?=@)", merged_bibliography(REPO)) if re.match(r"\s*@\w+\s*\{", e)]
    unlinked = [re.match(r"\s*@\w+\s*\{\s*([^,\s]+)", e).group(1) for e in entries if "url" not in bib_fields(e)]
    share = 1 - len(unlinked) / len(entries)
    assert len(entries) > 100
    assert share >= 0.89, f"{share:.0%} of {len(entries)} references link their text; unlinked: {unlinked}"


def test_glossary_keeps_proper_capitals_and_links_find_them():
    terms = glossary_terms(REPO)
    assert terms["budapest-convention"] == "Budapest Convention"
    assert terms["open-ended-working-group"] == "Open-ended Working Group"
    assert (
        glossary_links_to_roles("the [OEWG](glossary:open-ended-working-group)", terms)
        == "the {term}`OEWG <Open-ended Working Group>`"
    )
    assert (
        glossary_links_to_urls("the [OEWG](glossary:open-ended-working-group)", "https://x.org/g.html", terms)
        == "the [OEWG](https://x.org/g.html#term-Open-ended-Working-Group)"
    )


@pytest.mark.slow
def test_references_link_official_texts_and_keep_capitals(built_book: Path):
    page = (built_book / "book" / "references.html").read_text(encoding="utf-8")
    assert 'href="https://undocs.org/A/70/174"' in page
    assert "ASEAN Regional Forum Work Plan" in page and "Asean regional forum" not in page
    # an address where a document was only announced is labelled so, not as its text
    announced = re.search(r'<a [^>]*href="https://www.un.org/press/en/2020/ga12244.doc.htm"[^>]*>([^<]+)</a>', page)
    assert announced and announced.group(1).strip() == "Announced at"
    text = re.search(r'<a [^>]*href="https://www.riigiteataja.ee/akt/228032018002"[^>]*>([^<]+)</a>', page)
    assert text and text.group(1).strip() == "Official text"
    glossary = (built_book / "book" / "glossary.html").read_text(encoding="utf-8")
    assert ">Budapest Convention<" in glossary or "Budapest Convention" in re.findall(r"<dt[^>]*>([^<]+)", glossary)
    topic = (built_book / "release" / "06-cyberdefence-cybercrime" / "06-cyberdefence-cybercrime.html").read_text(
        encoding="utf-8"
    )
    assert "Further resources for practitioners" in topic and 'href="https://cyberlaw.ccdcoe.org"' in topic


def test_each_data_set_has_a_page_with_its_fields_sources_licence_and_first_rows():
    from coursekit.book.build import data_pages
    from coursekit.data import datasets

    pages = data_pages()
    assert sorted(pages) == sorted(datasets.names())
    for name, page in pages.items():
        fields = [f["name"] for f in datasets.describe(name)["schema"]["fields"]]
        assert all(f"| `{f}` |" in page for f in fields), name
        first = datasets.rows(name)[0]
        assert " | ".join(first[f].replace("|", "\\|").replace("\n", " ") for f in fields) in page, name
        assert "## Sources" in page and "## Licences" in page and "creativecommons.org/licenses/by/4.0" in page


@pytest.mark.slow
def test_data_pages_are_built_with_their_csv(built_book: Path):
    from coursekit.data import datasets

    for name in datasets.names():
        page = built_book / "book" / "data" / f"{name}.html"
        assert page.exists(), name
        assert re.search(rf'href="[^"]*_downloads/[^"]+/{name}\.csv"', page.read_text(encoding="utf-8")), name


@pytest.mark.slow
def test_cells_that_read_a_participants_answers_do_not_pretend_in_the_book(built_book: Path):
    from coursekit.book.build import KERNEL_ONLY_NOTE

    page = (built_book / "release" / "12-stability-cbms" / "12-stability-cbms.html").read_text(encoding="utf-8")
    text = visible_text(page)
    assert "No strategy-log entries found yet" not in text and "Nothing written yet" not in text
    assert text.count(KERNEL_ONLY_NOTE.strip("*").split(":")[0]) == 2  # the strategy log and the one check cell


def test_staging_twice_changes_nothing_so_a_rebuild_has_nothing_to_do(built_course: Path):
    """Cells the book adds have fixed ids: a random id would make every notebook look changed."""
    from coursekit.book.build import book_notebook

    course = Course(built_course)
    released = course.release / "12-stability-cbms" / "12-stability-cbms.ipynb"
    assert book_notebook(released, course.glossary_url, "s") == book_notebook(released, course.glossary_url, "s")


@pytest.mark.slow
def test_the_book_drops_the_hidden_test_cells_the_release_labels_for_jupyterlab(tmp_path):
    """The release labels each emptied hidden-test cell (a folded empty cell was an empty bar in JupyterLab);
    the book still drops those cells whole, and keeps every other code cell."""
    import shutil

    import nbformat

    from coursekit.book.build import book_notebook
    from coursekit.grading.authoring import GRADED_HERE
    from coursekit.grading.workflow import generate_release

    for name in ("nbgrader_config.py", "_config.yml"):
        shutil.copy(REPO / name, tmp_path)
    shutil.copytree(REPO / "notebooks" / "07-norms", tmp_path / "notebooks" / "07-norms")
    course = Course(tmp_path)
    generate_release(course, "07-norms")  # a release of this checkout, not whatever release/ holds
    released = course.release / "07-norms" / "07-norms.ipynb"
    labelled = [c for c in nbformat.read(released, as_version=4).cells if c.source == GRADED_HERE]
    assert labelled and all(c.metadata["nbgrader"]["locked"] for c in labelled)
    staged = nbformat.reads(book_notebook(released, course.glossary_url), as_version=4)
    code = [c for c in staged.cells if c.cell_type == "code"]
    dropped = [c for c in code if "remove-cell" in c.metadata["tags"]]
    assert [c.source for c in dropped] == [GRADED_HERE] * len(labelled)
    assert len(code) > len(dropped)


@pytest.mark.slow
def test_release_glossary_links_reach_the_built_glossary_anchors(built_course: Path, built_book: Path):
    """Links in the participant notebooks point at anchors that exist in the built glossary (capitals kept)."""
    course = Course(built_course)
    anchors = set(re.findall(r'id="(term-[^"]+)"', (built_book / "book" / "glossary.html").read_text(encoding="utf-8")))
    linked = set()
    for notebook in course.release.rglob("*.ipynb"):
        linked |= set(re.findall(re.escape(course.glossary_url) + r"#(term-[A-Za-z0-9._-]+)", notebook.read_text()))
    assert linked and linked <= anchors, sorted(linked - anchors)[:10]
