"""Random YAML, front matter and Markdown: the loader loads or reports problems, nothing else."""

import datetime as dt
import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import REVIEWERS, SITE, article
from smartmed.content.loader import check

TODAY = dt.date(2026, 11, 27)
FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

yaml_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
    st.text(max_size=30), st.dates().map(str), st.sampled_from(["~", "&a", "*a", "!!python/x"]),
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(string.ascii_lowercase, max_size=8), inner,
                                            max_size=4)),
    max_leaves=12,
)
yaml_texty = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=":-[]{}#&*!|>'\"%@`, \n\t0123456789abcdefghij", max_size=300),
)


def run(root: Path) -> None:
    library, report = check(root, today=TODAY)
    assert (library is None) == bool(report.errors)
    for problem in report.problems:
        assert str(problem).count(":") >= 3


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    # The reviewers site.yaml and articles name, unless a test brings its own.
    files = {"reviewers.yaml": REVIEWERS, **files}
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8", errors="surrogatepass")
    return root


@FUZZ
@given(text=yaml_texty)
def test_random_text_as_a_tip_file(tmp_path_factory, text: str) -> None:
    root = tmp_path_factory.mktemp("c")
    run(write(root, {"site.yaml": SITE, "tips/t.yaml": text}))


@FUZZ
@given(value=yaml_values)
def test_random_yaml_structures_as_tips_site_and_partners(tmp_path_factory, value) -> None:
    import yaml

    dumped = yaml.safe_dump(value)
    for name in ("tips/t.yaml", "partners.yaml", "site.yaml"):
        root = tmp_path_factory.mktemp("c")
        files = {"site.yaml": SITE, "tips/t.yaml": "[]"}
        files[name] = dumped
        run(write(root, files))


@FUZZ
@given(front=yaml_texty, body=st.text(max_size=500))
def test_random_front_matter_and_body(tmp_path_factory, front: str, body: str) -> None:
    root = tmp_path_factory.mktemp("c")
    run(write(root, {"site.yaml": SITE, "articles/a.md": f"---\n{front}\n---\n{body}"}))


markdown_bits = st.sampled_from([
    "# ", "## ", "- ", "1. ", "> ", "```", "    ", "*", "**", "_", "[", "](", ")", "<", ">",
    "&amp;", "&#0;", "|", "---", "\n", "\n\n", "![x](", "javascript:", "<script>", "\u202e",
    "\u200b", "👩🏽‍🚀", "\\", "`",
])


@FUZZ
@given(parts=st.lists(st.one_of(markdown_bits, st.text(max_size=10)), max_size=80))
def test_random_markdown_bodies(tmp_path_factory, parts: list[str]) -> None:
    root = tmp_path_factory.mktemp("c")
    run(write(root, {"site.yaml": SITE, "articles/a.md": article(body="".join(parts) or "x")}))


@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes(tmp_path_factory, data: bytes) -> None:
    root = tmp_path_factory.mktemp("c")
    run(write(root, {"site.yaml": SITE, "tips/t.yaml": data, "articles/b.md": data}))


def test_deeply_nested_markdown_and_yaml_are_reported_or_loaded(tmp_path: Path) -> None:
    nested_md = "> " * 5000 + "deep\n" + "- " * 3000 + "list\n"
    nested_yaml = "[" * 5000 + "]" * 5000
    root = write(tmp_path, {"site.yaml": SITE, "articles/a.md": article(body=nested_md),
                            "tips/t.yaml": nested_yaml})
    library, report = check(root, today=TODAY)
    assert library is None
    assert any("tips/t.yaml:1: yaml:" in str(p) for p in report.problems)


def test_blank_front_matter_and_an_empty_site_file_are_reported(tmp_path: Path) -> None:
    root = write(tmp_path / "a", {"site.yaml": SITE, "articles/a.md": "---\n\n---\nbody\n"})
    assert "a/articles/a.md:2: front matter: must be a mapping of fields" in [
        str(p) for p in check(root, today=TODAY)[1].problems]
    root = write(tmp_path / "b", {"site.yaml": "", "tips/t.yaml": "[]"})
    assert [str(p) for p in check(root, today=TODAY)[1].problems] == [
        "b/site.yaml:1: site: must be a mapping of site settings"]


@FUZZ
@given(text=yaml_texty, name=st.sampled_from(["site.yaml", "partners.yaml"]))
def test_random_text_as_the_site_or_partners_file(tmp_path_factory, text: str,
                                                  name: str) -> None:
    root = tmp_path_factory.mktemp("c")
    files = {"site.yaml": SITE, "tips/t.yaml": "[]", name: text}
    run(write(root, files))


article_fields = st.fixed_dictionaries({}, optional={
    key: yaml_values for key in ("title", "summary", "topics", "lang", "author", "reviewed_by",
                                 "published", "updated", "last_reviewed", "next_review",
                                 "medical", "canonical_url")})
partner_fields = st.fixed_dictionaries({}, optional={
    key: yaml_values for key in ("id", "name", "origins", "topics", "lang", "theme")})


@FUZZ
@given(front=article_fields, partners=st.lists(partner_fields, max_size=3))
def test_known_fields_with_random_values(tmp_path_factory, front: dict, partners: list) -> None:
    """Right field names, wrong shapes: the checks behind each field must hold, not only
    the YAML parser in front of them."""
    import yaml

    root = tmp_path_factory.mktemp("c")
    run(write(root, {"site.yaml": SITE, "partners.yaml": yaml.safe_dump(partners),
                     "articles/a.md": f"---\n{yaml.safe_dump(front)}---\nA body.\n"}))


def test_files_that_are_not_files_are_reported(tmp_path: Path) -> None:
    root = write(tmp_path / "c", {"site.yaml": SITE, "articles/ok.md": article()})
    (root / "articles" / "folder.md").mkdir()
    (root / "articles" / "dangling.md").symlink_to(tmp_path / "nowhere")
    (root / "tips").mkdir()
    (root / "tips" / "folder.yaml").mkdir()
    library, report = check(root, today=TODAY)
    assert library is None
    assert sorted(str(p) for p in report.errors) == [
        "c/articles/dangling.md:1: file: is not a regular file",
        "c/articles/folder.md:1: file: is not a regular file",
        "c/tips/folder.yaml:1: file: is not a regular file",
    ]


def test_yaml_aliases_that_nest_exponentially_give_short_messages(tmp_path: Path) -> None:
    lines = ['- a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefg", "bcdefgh", strict=True):
        lines.append(f"  {name}: &{name} [" + ",".join(f"*{prev}" for _ in range(9)) + "]")
    bomb = "\n".join(lines) + "\n- [*h, *h]\n- id: x\n  text: *h\n  date: *h\n  added: *h\n"
    root = write(tmp_path / "c", {"site.yaml": SITE, "tips/t.yaml": bomb})
    library, report = check(root, today=TODAY)
    assert library is None
    assert report.errors
    assert all(len(str(p)) < 400 for p in report.problems)
