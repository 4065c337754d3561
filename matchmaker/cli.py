"""The `matchmaker` command: thin click commands over the library.

Each command parses paths and options, calls one library function, prints, and turns a
`MatchmakerError` into one clear line on stderr and its exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import MatchmakerError, OutputError

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Report a MatchmakerError as one line on stderr and exit with its code; bugs keep tracebacks."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except MatchmakerError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


def _inputs(*paths: Path | None) -> list[Path]:
    """The files a command reads, which no output of it may overwrite."""
    return [p for p in paths if p is not None]


# Options several commands share, defined once.
partners_option = click.option(
    "--partners",
    "partners_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Partners file (.csv, .xlsx or .ods).",
)
criteria_option = click.option(
    "--criteria", "criteria_path", type=click.Path(path_type=Path), help="Criteria file (.toml)."
)
mapping_option = click.option(
    "--mapping", type=click.Path(path_type=Path), help="Column mapping of the form export (.toml)."
)
aggregate_option = click.option(
    "--aggregate",
    type=click.Choice(("mean", "median", "leniency")),
    default="mean",
    show_default=True,
    help="How the reviewers' ratings of one item are combined (leniency: corrected per reviewer).",
)
reviews_option = click.option(
    "--reviews",
    "review_paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Filled reviewer sheet, or a folder of them; repeat for more.",
)
conflicts_option = click.option(
    "--conflicts",
    "conflicts_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The committee's conflicts of interest (.csv or .xlsx, columns reviewer and municipality): "
    "those reviewers' ratings of those municipalities are refused and do not count.",
)

seed_option = click.option(
    "--seed",
    default=0,
    show_default=True,
    type=int,
    help="Seed of the sampled weightings and the reviewers' resamples (recorded).",
)
force_option = click.option(
    "--force", is_flag=True, help="Replace output files that exist, even ones holding typed work."
)


def lang_option(help: str = "Language.") -> Callable[[F], F]:
    """`--lang nl|en|fr`, the language of what a command writes (Dutch unless asked)."""
    return click.option(
        "--lang", type=click.Choice(["nl", "en", "fr"]), default="nl", show_default=True, help=help
    )


def json_option(help: str) -> Callable[[F], F]:
    """`--json PATH`, the JSON document a command writes besides its printed output."""
    return click.option("--json", "json_path", type=click.Path(path_type=Path, dir_okay=False), help=help)


@click.group(
    epilog=(
        "Example:\n\n\b\n  matchmaker pair candidacies.xlsx --partners partners.csv --reviews reviews/ "
        "--out shortlist.xlsx"
    ),
)
@click.version_option(__version__, prog_name="matchmaker")
def main() -> None:
    """Select Flemish candidates for SDG partnerships and pair them with partners in Rwanda and Benin."""


# --- intake ------------------------------------------------------------------------------------


@main.command(
    "intake",
    epilog="Example:\n\n\b\n  matchmaker intake sample_data/candidacies.xlsx --json out/intake.json",
)
@click.argument("forms", type=click.Path(path_type=Path))
@mapping_option
@criteria_option
@json_option("Write the candidates and issues as JSON.")
@force_option
@handle_errors
def intake_command(
    forms: Path, mapping: Path | None, criteria_path: Path | None, json_path: Path | None, force: bool
) -> None:
    """Read a candidacy form export: resolve each municipality, keep the latest submission per
    municipality, check the hard rules, and list what needs a person's attention.
    """
    from .criteria import load_criteria
    from .export.terminal import INTAKE_TABLE_ROWS, intake_lines
    from .files import write_json
    from .intake import read_form

    criteria = load_criteria(criteria_path)
    inputs = _inputs(forms, mapping, criteria.path)
    from .pipeline import check_outputs

    check_outputs(inputs, force, json_path=json_path)
    result = read_form(forms, mapping=mapping, eligibility=criteria.eligibility)
    overview = result.overview(limit=INTAKE_TABLE_ROWS)  # what is printed, not a line per submission
    click.echo("\n".join(intake_lines(forms, result.summary(), overview)))
    if json_path is not None:
        write_json(result.to_json(table=True), json_path, inputs=inputs, force=force)
        click.echo(f"Wrote {json_path}")


# --- score / review-sheet ----------------------------------------------------------------------


@main.command(
    "score",
    epilog="Example:\n\n\b\n  matchmaker score candidacies.xlsx --reviews reviews/ --json scores.json",
)
@click.argument("forms", type=click.Path(path_type=Path, dir_okay=False))
@criteria_option
@mapping_option
@reviews_option
@conflicts_option
@aggregate_option
@click.option("--top", default=2, show_default=True, help="Contributions shown per candidate.")
@json_option("Write the scored candidates as JSON.")
@force_option
@handle_errors
def score_command(
    forms: Path,
    criteria_path: Path | None,
    mapping: Path | None,
    review_paths: tuple[Path, ...],
    conflicts_path: Path | None,
    aggregate: str,
    top: int,
    json_path: Path | None,
    force: bool,
) -> None:
    """Score the eligible candidates of a form export and print them ranked.

    Motivation comes from the reviewers' sheets (--reviews); a candidate nobody reviewed is scored on
    its self-assessment, marked "self" in the table.
    """
    from .criteria import load_criteria
    from .export.terminal import score_lines
    from .files import write_json
    from .pipeline import RunOptions, score_forms

    criteria = load_criteria(criteria_path)
    inputs = _inputs(forms, *review_paths, criteria.path, mapping, conflicts_path)
    from .pipeline import check_outputs

    check_outputs(inputs, force, json_path=json_path)  # refuse a bad output path before the work, not after
    options = RunOptions(
        criteria=criteria,
        mapping=mapping,
        reviews=review_paths,
        aggregate=aggregate,
        conflicts=conflicts_path,
    )
    scored = score_forms(forms, options)
    click.echo("\n".join(score_lines(scored, top=top)))
    if json_path is not None:
        write_json(scored.to_json(), json_path, inputs=inputs, force=force)
        click.echo(f"Wrote {json_path}")


@main.command(
    "review-sheet",
    epilog=(
        "Example:\n\n\b\n  matchmaker review-sheet candidacies.xlsx --reviewer 'An Peeters' "
        "--out an-peeters.xlsx"
    ),
)
@click.argument("forms", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--reviewer", required=True, help="The reviewer's name, stored in the sheet.")
@click.option(
    "--out", required=True, type=click.Path(path_type=Path), help="The reviewer sheet to write (.xlsx)."
)
@lang_option("Language of the headers and instructions.")
@criteria_option
@mapping_option
@force_option
@handle_errors
def review_sheet_command(
    forms: Path,
    reviewer: str,
    out: Path,
    lang: str,
    criteria_path: Path | None,
    mapping: Path | None,
    force: bool,
) -> None:
    """Write a sheet on which one reviewer rates the eligible candidates on the rubric.

    One row per eligible candidate with its motivation and projects; the reviewer fills in a whole
    number per rubric item and an optional comment. Read the filled sheets back with --reviews.
    """
    from .criteria import load_criteria
    from .intake import read_form
    from .reviews import write_review_sheet

    criteria = load_criteria(criteria_path)
    inputs = _inputs(forms, criteria.path, mapping)
    from .pipeline import check_outputs

    check_outputs(inputs, force, workbook=out, kind="review sheet")  # before the work, not after
    intake = read_form(forms, mapping=mapping, eligibility=criteria.eligibility)
    path = write_review_sheet(
        intake.candidates, criteria, reviewer, out, inputs=inputs, lang=lang, force=force
    )
    click.echo(f"Wrote {path}: {len(intake.eligible())} eligible candidates for {reviewer.strip()}")


@main.command(
    "partner-sheet",
    epilog=(
        "Example:\n\n\b\n  matchmaker partner-sheet candidacies.xlsx --partners partners.csv "
        "--all --out partner-sheets/"
    ),
)
@click.argument("forms", type=click.Path(path_type=Path, dir_okay=False))
@partners_option
@click.option("--partner", "partner", help="The partner whose sheet to write.")
@click.option(
    "--all", "all_partners", is_flag=True, help="A sheet for every eligible partner (--out: a folder)."
)
@click.option(
    "--out", required=True, type=click.Path(path_type=Path), help="The sheet (.xlsx), or with --all a folder."
)
@click.option(
    "--lang",
    type=click.Choice(["nl", "en", "fr"]),
    help="Language of the sheet (default: French for Benin, English for Rwanda).",
)
@criteria_option
@mapping_option
@force_option
@handle_errors
def partner_sheet_command(
    forms: Path,
    partners_path: Path,
    partner: str | None,
    all_partners: bool,
    out: Path,
    lang: str | None,
    criteria_path: Path | None,
    mapping: Path | None,
    force: bool,
) -> None:
    """Write the sheets on which a partner rates the candidates it may be paired with.

    One protected workbook per partner: each candidate's facts and texts, a rating 1-5 or "not
    acceptable", a comment. Read the filled sheets back with pair --partner-ratings.
    """
    from .criteria import load_criteria
    from .intake import read_form
    from .partner_sheets import write_partner_sheets
    from .partners import read_partners

    if all_partners == (partner is not None):
        raise click.UsageError("give either --partner NAME or --all")
    criteria = load_criteria(criteria_path)
    inputs = _inputs(forms, partners_path, criteria.path, mapping)
    if partner is not None:
        from .files import check_output

        check_output(out, inputs)
    intake = read_form(forms, mapping=mapping, eligibility=criteria.eligibility)
    table = read_partners(partners_path, mapping)
    written = write_partner_sheets(
        intake.candidates, table, criteria, out, partner=partner, lang=lang, inputs=inputs, force=force
    )
    for path in written:
        click.echo(f"Wrote {path}")


# --- pair ----------------------------------------------------------------------------------------


@main.command(
    "pair",
    epilog="Example:\n\n\b\n  matchmaker pair candidacies.xlsx --partners partners.csv "
    "--reviews reviews/ \\\n      --lock Gent=Karongi --out shortlist.xlsx --json result.json",
)
@click.argument("forms", type=click.Path(path_type=Path, dir_okay=False))
@partners_option
@criteria_option
@mapping_option
@reviews_option
@conflicts_option
@aggregate_option
@click.option(
    "--lock", "locks", multiple=True, metavar="CAND=PARTNER", help="Keep this pair (REFNIS or municipality)."
)
@click.option("--forbid", "forbids", multiple=True, metavar="CAND=PARTNER", help="Never this pair.")
@click.option(
    "--alternatives", default=0, show_default=True, type=click.IntRange(0), help="Next-best pairings to show."
)
@click.option(
    "--distinct",
    type=click.Choice(["pairs", "selection"]),
    default="selection",
    show_default=True,
    help="Alternatives differ in their pairs, or in the candidates they select.",
)
@click.option(
    "--solver",
    type=click.Choice(["cbc", "highs"]),
    default="cbc",
    show_default=True,
    help="MILP solver: CBC (bundled with PuLP) or HiGHS.",
)
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), help="Seconds per solver call.")
@click.option(
    "--time-budget",
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds for the whole pairing run (default 300); the answers not computed by then"
    " (what-ifs, causes, alternatives) are marked as not computed. --time-limit is per solver call.",
)
@click.option("--strict", is_flag=True, help="An unfilled slot is an error (exit 3).")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("shortlist.xlsx"),
    show_default=True,
    help="Shortlist workbook to write.",
)
@json_option("Result JSON to write.")
@click.option(
    "--lang",
    type=click.Choice(["nl", "en", "fr"]),
    default="nl",
    show_default=True,
    help="Language of the workbook: headers, labels and the explanations (the printed table and the "
    "JSON stay in English).",
)
@click.option(
    "--include-contacts", is_flag=True, help="Put contact names and e-mail addresses in the workbook."
)
@click.option(
    "--decisions",
    "decisions_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A shortlist workbook with the committee's decisions (vast, weiger, uitsluiten): re-solve with "
    "them, changing as few other pairs as possible.",
)
@click.option(
    "--partner-ratings",
    "partner_rating_paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Filled partner sheets (files or folders): the partners' ratings of the candidates.",
)
@click.option(
    "--stability",
    type=click.Choice(["off", "report", "require"]),
    default="off",
    show_default=True,
    help="With partner ratings: list the blocking pairs (report) or pair stably (require).",
)
@click.option(
    "--robustness",
    is_flag=True,
    help="Also split the plausible weights exactly (as the robustness command does): a Robuustheid sheet, "
    "the result's robustness block and, where a selection depends on the weights, its share in the "
    "explanations.",
)
@click.option(
    "--robustness-samples",
    default=0,
    show_default=True,
    type=click.IntRange(0),
    help="With --robustness and reviews: resamples of the reviewers for their uncertainty.",
)
@seed_option
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write an offline report (.html, one self-contained file) in the --lang language.",
)
@force_option
@handle_errors
def pair_command(
    forms: Path,
    partners_path: Path,
    criteria_path: Path | None,
    mapping: Path | None,
    review_paths: tuple[Path, ...],
    conflicts_path: Path | None,
    aggregate: str,
    locks: tuple[str, ...],
    forbids: tuple[str, ...],
    alternatives: int,
    distinct: str,
    solver: str,
    time_limit: float | None,
    time_budget: float | None,
    strict: bool,
    out: Path,
    json_path: Path | None,
    lang: str,
    include_contacts: bool,
    decisions_path: Path | None,
    partner_rating_paths: tuple[Path, ...],
    stability: str,
    robustness: bool,
    robustness_samples: int,
    seed: int,
    report_path: Path | None,
    force: bool,
) -> None:
    """Select candidates and pair them with the partners in Rwanda and Benin.

    Prints the pairs with their values, the unfilled slots with their cause and the reserve lists;
    writes the shortlist workbook (--out) and the result JSON (--json).
    """
    from dataclasses import replace

    from .criteria import load_criteria
    from .export import write_shortlist
    from .export.terminal import format_report, review_lines
    from .files import write_json
    from .pipeline import RunOptions, run

    criteria = load_criteria(criteria_path)
    inputs = _inputs(
        forms,
        partners_path,
        *review_paths,
        *partner_rating_paths,
        criteria.path,
        mapping,
        decisions_path,
        conflicts_path,
    )
    if json_path is not None and json_path.resolve() == out.resolve():
        raise OutputError(f"{json_path}: --json and --out name the same file; give each its own")
    from .pipeline import check_outputs

    check_outputs(inputs, force, workbook=out, json_path=json_path)
    if report_path is not None:
        from .report import check_report_path

        check_report_path(report_path, inputs)
    options = RunOptions(
        criteria=criteria,
        mapping=mapping,
        reviews=review_paths,
        aggregate=aggregate,
        locks=locks,
        forbids=forbids,
        decisions=decisions_path,
        alternatives=alternatives,
        distinct=distinct,
        solver=solver,
        time_limit=time_limit,
        strict=strict,
        partner_ratings=partner_rating_paths,
        stability=stability,
        conflicts=conflicts_path,
        robustness=robustness,
        robustness_samples=robustness_samples,
        seed=seed,
    )
    if time_budget is not None:
        options = replace(options, time_budget=time_budget)
    result = run(forms, partners_path, options, progress=lambda line: click.echo(line, err=True))
    click.echo(format_report(result))
    if result.robustness:
        from .i18n.wording import summary_line

        click.echo("\n" + summary_line(result.robustness))
    # after the table, which stays as it is: the reviewers' agreement, or that self-assessment stood in
    lines = review_lines(result.reviews)
    if lines:
        click.echo("\n" + "\n".join(lines))
    if result.stability:
        from .pairing.stability_report import terminal_lines

        click.echo("\n" + "\n".join(terminal_lines(result.stability)))
    write_shortlist(
        result,
        out,
        criteria=criteria,
        inputs=inputs,
        lang=lang,
        include_contacts=include_contacts,
        force=force,
    )
    click.echo(f"Wrote {out}", err=True)
    if json_path is not None:
        write_json(result.to_json(), json_path, inputs=inputs, force=force)
        click.echo(f"Wrote {json_path}", err=True)
    if report_path is not None:
        from .report import write_report

        write_report(
            result.to_json(), report_path, lang=lang, robustness=result.robustness or None, inputs=inputs
        )
        click.echo(f"Wrote {report_path}", err=True)


# --- verify --------------------------------------------------------------------------------------


@main.command(
    "verify",
    epilog="Example:\n\n\b\n  matchmaker verify result.json",
)
@click.argument("result_path", metavar="RESULT.json", type=click.Path(path_type=Path, dir_okay=False))
@json_option("Write the report as JSON.")
@force_option
@handle_errors
def verify_command(result_path: Path, json_path: Path | None, force: bool) -> None:
    """Re-run a recorded pairing from its inputs and say whether the same pairs come out.

    Checks every input file against its recorded SHA-256, re-runs with the recorded options and
    compares the pairs. Exit code 0: verified; 1: something differs (listed); 2: not a result file.
    """
    from .audit import verify
    from .files import write_json
    from .pipeline import check_outputs

    check_outputs([result_path], force, json_path=json_path)
    report = verify(result_path, progress=lambda line: click.echo(line, err=True))
    click.echo("\n".join(report.lines()))
    if json_path is not None:
        write_json(report.to_json(), json_path, inputs=[result_path], force=force)
        click.echo(f"Wrote {json_path}", err=True)
    sys.exit(0 if report.ok else 1)


# --- robustness ----------------------------------------------------------------------------------


@main.command(
    "robustness",
    epilog="Example:\n\n\b\n  matchmaker robustness candidacies.xlsx --partners partners.csv "
    "--reviews reviews/ --json robustness.json",
)
@click.argument("forms", type=click.Path(path_type=Path, dir_okay=False))
@partners_option
@criteria_option
@mapping_option
@reviews_option
@conflicts_option
@aggregate_option
@click.option(
    "--samples",
    default=1000,
    show_default=True,
    type=click.IntRange(1),
    help="Sampled weightings (beyond 5 criteria) and resamples of the reviewers (with --reviews).",
)
@seed_option
@json_option("Write the analysis as JSON (matchmaker.robustness/1).")
@force_option
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the offline report (.html) of the pairing with this analysis: the weight triangle "
    "coloured by pairing and each candidate's share.",
)
@lang_option("Language of the report.")
@handle_errors
def robustness_command(
    forms: Path,
    partners_path: Path,
    criteria_path: Path | None,
    mapping: Path | None,
    review_paths: tuple[Path, ...],
    conflicts_path: Path | None,
    aggregate: str,
    samples: int,
    seed: int,
    json_path: Path | None,
    force: bool,
    report_path: Path | None,
    lang: str,
) -> None:
    """How much the shortlist depends on the weights: the plausible weightings split exactly into
    the regions where each pairing is optimal, and the reviewers' uncertainty (with --reviews).
    """
    from .criteria import load_criteria
    from .files import check_output, write_json
    from .pipeline import RunOptions, robustness

    criteria = load_criteria(criteria_path)
    inputs = _inputs(forms, partners_path, *review_paths, criteria.path, mapping, conflicts_path)
    if json_path is not None:
        check_output(json_path, inputs)
    if report_path is not None:
        from .report import check_report_path

        check_report_path(report_path, inputs)
    options = RunOptions(
        criteria=criteria,
        mapping=mapping,
        reviews=review_paths,
        aggregate=aggregate,
        conflicts=conflicts_path,
    )
    result = robustness(
        forms,
        partners_path,
        options,
        samples=samples,
        seed=seed,
        progress=lambda line: click.echo(line, err=True),
    )
    click.echo("\n".join(result.summary()))
    if json_path is not None:
        write_json(result.to_json(), json_path, inputs=inputs, force=force)
        click.echo(f"Wrote {json_path}", err=True)
    if report_path is not None:
        from .pipeline import run
        from .report import write_report

        # the pairing at the chosen weights, which the analysis splits the weights around
        paired = run(forms, partners_path, options, progress=lambda line: click.echo(line, err=True))
        write_report(paired.to_json(), report_path, lang=lang, robustness=result.to_json(), inputs=inputs)
        click.echo(f"Wrote {report_path}", err=True)


# --- letters and the report ----------------------------------------------------------------------


@main.command(
    "letters",
    epilog="Example:\n\n\b\n  matchmaker letters result.json --out letters/ --robustness robustness.json",
)
@click.argument("result_path", metavar="RESULT.json", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Folder for the letters (.docx).")
@lang_option()
@criteria_option
@click.option(
    "--robustness",
    "robustness_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A robustness analysis (robustness --json) of the same run: how much each outcome depends on "
    "the weights.",
)
@click.option(
    "--date", type=click.DateTime(formats=["%Y-%m-%d"]), help="Date of the letters (default: today)."
)
@force_option
@handle_errors
def letters_command(
    result_path: Path,
    out: Path,
    lang: str,
    criteria_path: Path | None,
    robustness_path: Path | None,
    date: Any,
    force: bool,
) -> None:
    """Write a decision letter per candidacy (selected, reserve, not selected, not eligible,
    superseded) as .docx, and letters.xlsx, a table for Word's own mail merge.
    """
    from .letters import write_decision_letters
    from .pipeline import check_outputs

    check_outputs(_inputs(result_path, criteria_path, robustness_path), force)
    written = write_decision_letters(
        result_path,
        out,
        lang=lang,
        criteria_path=criteria_path,
        robustness_path=robustness_path,
        date=None if date is None else date.date(),
        force=force,
    )
    click.echo(f"Wrote {len(written) - 1} letter(s) and {written[-1]} in {out}")


@main.command(
    "report",
    epilog="Example:\n\n\b\n  matchmaker report result.json --out report.html --robustness robustness.json",
)
@click.argument("result_path", metavar="RESULT.json", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out", required=True, type=click.Path(path_type=Path, dir_okay=False), help="The report (.html)."
)
@lang_option()
@click.option(
    "--robustness",
    "robustness_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A robustness analysis (robustness --json) of the same run: the weight triangle and shares.",
)
@force_option
@handle_errors
def report_command(
    result_path: Path, out: Path, lang: str, robustness_path: Path | None, force: bool
) -> None:
    """Write one self-contained HTML file, to open without a network or to mail: the pairs, the
    open slots, every candidacy's reason, the reviewers' agreement, robustness and stability.
    """
    from .pipeline import check_outputs
    from .report import report_from_files

    inputs = _inputs(result_path, robustness_path)
    check_outputs(inputs, force)
    path = report_from_files(result_path, out, lang=lang, robustness_path=robustness_path)
    click.echo(f"Wrote {path}")
