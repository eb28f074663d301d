"""The plan's demo data for `tsunagu load_demo` (options --fiscal-years 2024-2025, --seed N).

Imports the seed plan (owner 福祉総務課), creates four demo accounts, and makes up
plausible progress reports and indicator values. Everything made up is marked as
demo: indicator values carry the source 「デモデータ（架空）」 and report texts start
with 【デモ】. Running it again changes nothing: the randomness is seeded per
report, and existing reports are left alone.

Registered with ``core.demo`` in ``PlansConfig.ready``; the command (in core) has
already loaded the reference organisations and areas when :func:`load_plans_demo` runs.
"""

from __future__ import annotations

import datetime
import random
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from tsunagu.core.demo import DemoContext
from tsunagu.core.models import Membership, Organization, User
from tsunagu.plans.importers import PlanFormatError, read_plan_file
from tsunagu.plans.loading import load_plan
from tsunagu.plans.models import Indicator, IndicatorValue, Plan, ProgressReport, Responsibility

SEED_PLAN = (
    Path(settings.PROJECT_DIR)
    / "data"
    / "plans"
    / "kamakura"
    / "kamakura-welfare-plan-chapter4.txt"
)
PLAN_NAME = "鎌倉市地域福祉計画"
MUNICIPALITY = "鎌倉市"
PLAN_YEARS = (2020, 2025)
PLAN_OWNER = "福祉総務課"
DEMO_SOURCE = "デモデータ（架空）"
DEMO_NOTE = "デモ用の架空の値です。実際の統計ではありません。"
DEMO_MARK = "【デモ】"

Role = Membership.Role
Status = ProgressReport.Status
Evaluation = ProgressReport.Evaluation
State = ProgressReport.State


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    display_name_kana: str
    role_label: str
    memberships: tuple[tuple[str, str], ...] = ()
    superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount(
        "planner",
        "佐藤 美咲",
        "さとう みさき",
        "計画担当（福祉総務課・計画の所管課）",
        ((PLAN_OWNER, Role.PLAN_OFFICER),),
    ),
    DemoAccount(
        "officer",
        "鈴木 健太",
        "すずき けんた",
        "計画担当（障害福祉課・高齢者いきいき課）",
        (("障害福祉課", Role.PLAN_OFFICER), ("高齢者いきいき課", Role.PLAN_OFFICER)),
    ),
    DemoAccount(
        "manager",
        "高橋 直子",
        "たかはし なおこ",
        "課長（障害福祉課・高齢者いきいき課）",
        (("障害福祉課", Role.MANAGER), ("高齢者いきいき課", Role.MANAGER)),
    ),
    DemoAccount("admin", "田中 誠", "たなか まこと", "システム管理者", superuser=True),
)

# Report texts. Whole sentences with the initiative's title, never fragments.
ACHIEVEMENTS: dict[str, list[str]] = {
    Status.COMPLETED: [
        "「{title}」を計画どおり実施し、予定していた取組を年度内に完了した。",
        "「{title}」について関係機関との調整を終え、所期の目標を達成した。",
    ],
    Status.IN_PROGRESS: [
        "「{title}」について、関係課・関係機関と連携して継続的に実施した。",
        "「{title}」を実施し、前年度の課題を踏まえて実施方法を一部改善した。",
        "「{title}」について、対象者への周知を行いながら着実に取組を進めた。",
    ],
    Status.UNDER_REVIEW: [
        "「{title}」について利用実績を検証し、実施方法の見直しに着手した。",
        "「{title}」は対象者や手法を再検討し、事業内容の見直しを進めている。",
    ],
    Status.NOT_STARTED: [
        "「{title}」は関係部署との調整が整わず、年度内の着手に至らなかった。",
        "「{title}」は実施体制の検討にとどまり、具体的な取組には至らなかった。",
    ],
}
FIGURES = [
    "年間{count}回開催し、延べ{people}人が参加した。",
    "相談・問合せは{cases}件であった。",
    "講座・研修を{count}回実施し、延べ{people}人が受講した。",
    "チラシを{leaflets}部作成し、関係機関や地域の拠点に配布した。",
]
ISSUES = [
    "担い手の高齢化と固定化が進んでおり、新たな参加者の確保が課題である。",
    "支援が必要な人に情報が十分に届いておらず、周知方法の工夫が必要である。",
    "関係機関との情報共有の方法が統一されておらず、連携に時間がかかっている。",
    "相談件数の増加に対し、対応できる職員体制が限られている。",
    "感染症の影響で減少した参加者数が、以前の水準まで回復していない。",
    "複合的な課題を抱える世帯への対応では、分野を超えた調整が必要になっている。",
    "地域によって取組の進み具合に差がある。",
]
NOT_STARTED_ISSUE = "実施に向けた体制と予算の確保が課題である。"
NEXT_STEPS = [
    "広報かまくらや市ホームページ、SNSを活用して周知を強化する。",
    "市社会福祉協議会と連携し、地域での担い手の育成を進める。",
    "関係課による連絡会議を定期的に開催し、情報共有を図る。",
    "実施結果を検証し、次年度の実施方法に反映する。",
    "地域包括支援センターや民生委員児童委員との連携を強化する。",
    "オンラインでの申請や相談の受付を検討する。",
]
REVIEW_COMMENTS = [
    "実績の数値（開催回数・参加人数など）を追記してください。",
    "自己評価の理由が分かるよう、課題欄を具体的に記載してください。",
    "次年度の取組が前年度と同じ記載になっています。見直しの内容を反映してください。",
]

# Demo values for the seed plan's indicators: unit, 2019 baseline, 2025 target,
# higher is better, and how far toward the target the made-up values get by 2025.
DEMO_INDICATORS: dict[str, tuple[str, str, str, bool, float]] = {
    "生活課題等に対して、身近なところで相談できる人や場があると思う市民の割合": (
        "%",
        "52.3",
        "60.0",
        True,
        0.8,
    ),
    "多様性を尊重し、支え合う社会（共生社会）が実現していると思う市民の割合": (
        "%",
        "31.8",
        "40.0",
        True,
        0.7,
    ),
    "ボランティア登録団体数": ("団体", "182", "200", True, 0.9),
    "鎌倉共生サポーター（仮称）の登録者数": ("人", "0", "500", True, 0.75),
    "民生委員児童委員の選任数（定数を目標値とする）": ("人", "196", "221", True, 0.3),
    "外国籍市民が住みやすいと感じている割合": ("%", "61.5", "70.0", True, 0.85),
    "地域で子育てを支えるまちが実現していると感じる市民の割合": ("%", "38.4", "45.0", True, 0.9),
    "生活困窮者自立支援法に基づく相談支援実施後の就労自立者数": ("人", "24", "35", True, 0.95),
    "就労している障害者数": ("人", "310", "380", True, 1.0),
    "バリアフリー対応の市営住宅戸数": ("戸", "120", "150", True, 0.6),
    "居住支援により住宅確保要配慮者が入居した民間賃貸住宅数": ("件", "5", "20", True, 0.8),
    "公衆トイレのバリアフリー化率": ("%", "55.0", "80.0", True, 0.7),
    "自治会・町内会への避難行動要支援者名簿の提供割合": ("%", "40.2", "60.0", True, 0.85),
}
# Participation fell in FY2020–2021 (the pandemic): fraction of the way lost in those years.
PANDEMIC_DIP = {2020: 0.35, 2021: 0.2}
PANDEMIC_WORDS = ("ボランティア", "サポーター", "就労")


def fiscal_years(value: str) -> tuple[int, int]:
    try:
        first, last = (int(part) for part in value.split("-"))
    except ValueError:
        raise CommandError(f"--fiscal-years must look like 2024-2025, got {value!r}") from None
    if first > last:
        raise CommandError(f"--fiscal-years: {first} comes after {last}")
    return first, last


# --- accounts -----------------------------------------------------------------------------


def ensure_accounts(password: str) -> dict[str, User]:
    """The demo accounts with their memberships; existing ones are brought back in line."""
    organizations = {
        org.name: org
        for org in Organization.objects.filter(
            name__in={name for account in DEMO_ACCOUNTS for name, _role in account.memberships}
        )
    }
    users: dict[str, User] = {}
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first() or User(
            username=account.username
        )
        user.display_name = account.display_name
        user.display_name_kana = account.display_name_kana
        user.last_name, user.first_name = account.display_name.split(" ", 1)
        user.email = f"{account.username}@example.jp"
        user.is_active = True
        user.is_staff = account.superuser
        user.is_superuser = account.superuser
        user.set_password(password)
        user.save()
        for name, role in account.memberships:
            Membership.objects.get_or_create(user=user, organization=organizations[name], role=role)
        users[account.username] = user
    return users


# --- progress reports ---------------------------------------------------------------------


def _moment(
    rng: random.Random, day: datetime.date, not_after: datetime.datetime
) -> datetime.datetime:
    tz = ZoneInfo(settings.TIME_ZONE)
    moment = datetime.datetime.combine(
        day, datetime.time(rng.randint(9, 17), rng.randint(0, 59)), tzinfo=tz
    )
    return min(moment, not_after)


def _texts(rng: random.Random, status: str, title: str) -> tuple[str, str, str]:
    achievements = rng.choice(ACHIEVEMENTS[status]).format(title=title)
    if status in {Status.COMPLETED, Status.IN_PROGRESS} and rng.random() < 0.7:
        achievements += rng.choice(FIGURES).format(
            count=rng.randint(2, 24),
            people=rng.randint(3, 60) * 10,
            cases=rng.randint(12, 480),
            leaflets=rng.randint(5, 40) * 100,
        )
    issues = NOT_STARTED_ISSUE if status == Status.NOT_STARTED else rng.choice(ISSUES)
    next_steps = rng.choice(NEXT_STEPS)
    return DEMO_MARK + achievements, issues, next_steps


def _status_and_evaluation(rng: random.Random) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.15:
        return Status.COMPLETED, Evaluation.A
    if roll < 0.70:
        return Status.IN_PROGRESS, Evaluation.B
    if roll < 0.78:
        return Status.IN_PROGRESS, Evaluation.A
    if roll < 0.86:
        return Status.IN_PROGRESS, Evaluation.C
    if roll < 0.95:
        return Status.UNDER_REVIEW, Evaluation.C
    return Status.NOT_STARTED, Evaluation.D


def _pick_state(rng: random.Random, latest: bool) -> str | None:
    """The report's state, or None where the department has not reported yet."""
    roll = rng.random()
    if not latest:
        return State.APPROVED if roll < 0.95 else State.SUBMITTED
    if roll < 0.20:
        return None
    if roll < 0.55:
        return State.APPROVED
    if roll < 0.78:
        return State.SUBMITTED
    if roll < 0.92:
        return State.DRAFT
    return State.RETURNED


def demo_report(
    rng: random.Random,
    *,
    initiative_id: int,
    title: str,
    organization_id: int,
    fiscal_year: int,
    latest: bool,
    reporter: User,
    approver: User,
    now: datetime.datetime,
) -> ProgressReport | None:
    state = _pick_state(rng, latest)
    if state is None:
        return None
    status, evaluation = _status_and_evaluation(rng)
    achievements, issues, next_steps = _texts(rng, status, title)
    # Reports are written after the fiscal year ends (31 March) and approved within weeks.
    started = datetime.date(fiscal_year + 1, 4, 10) + datetime.timedelta(days=rng.randint(0, 20))
    submitted = started + datetime.timedelta(days=rng.randint(5, 40))
    approved = submitted + datetime.timedelta(days=rng.randint(3, 20))
    report = ProgressReport(
        initiative_id=initiative_id,
        organization_id=organization_id,
        fiscal_year=fiscal_year,
        status=status,
        evaluation=evaluation,
        achievements=achievements,
        issues=issues,
        next_steps=next_steps,
        state=state,
        created_at=_moment(rng, started, now),
        created_by=reporter,
        updated_by=reporter,
    )
    if state == State.DRAFT:
        # A draft half-way through: the department has not judged itself yet.
        if rng.random() < 0.5:
            report.evaluation = ""
            report.next_steps = ""
        return report
    report.submitted_at = _moment(rng, submitted, now)
    report.submitted_by = reporter
    if state == State.RETURNED:
        report.review_comment = rng.choice(REVIEW_COMMENTS)
        report.updated_by = approver
    elif state == State.APPROVED:
        report.approved_at = max(_moment(rng, approved, now), report.submitted_at)
        report.approved_by = approver
        report.updated_by = approver
    return report


def create_demo_progress(
    plan: Plan, years: tuple[int, int], seed: int, users: dict[str, User]
) -> dict[str, int]:
    """Progress reports for every (initiative, department) of the plan and year; returns counts.

    Each report's randomness is seeded by (seed, year, initiative, department), so the
    same reports are missing on every run, and existing reports are never touched.
    """
    officer_orgs = set(
        Membership.objects.filter(user=users["officer"], role=Role.PLAN_OFFICER).values_list(
            "organization_id", flat=True
        )
    )
    manager_orgs = set(
        Membership.objects.filter(user=users["manager"], role=Role.MANAGER).values_list(
            "organization_id", flat=True
        )
    )
    pairs: dict[tuple[int, int], tuple[str, str, str]] = {}
    for initiative_id, code, title, organization_id, organization_name in (
        Responsibility.objects.filter(initiative__plan=plan, initiative__archived_at__isnull=True)
        .order_by("initiative__sort_key", "position")
        .values_list(
            "initiative_id",
            "initiative__code",
            "initiative__title",
            "organization_id",
            "organization__name",
        )
    ):
        pairs.setdefault((initiative_id, organization_id), (code, title, organization_name))
    year_range = range(years[0], years[1] + 1)
    existing = set(
        ProgressReport.objects.filter(
            initiative__plan=plan, fiscal_year__in=year_range
        ).values_list("initiative_id", "organization_id", "fiscal_year")
    )
    now = timezone.now()
    reports: list[ProgressReport] = []
    unreported = 0
    for fiscal_year in year_range:
        for (initiative_id, organization_id), (code, title, organization_name) in pairs.items():
            rng = random.Random(f"{seed}:{fiscal_year}:{code}:{organization_name}")
            report = demo_report(
                rng,
                initiative_id=initiative_id,
                title=title,
                organization_id=organization_id,
                fiscal_year=fiscal_year,
                latest=fiscal_year == years[1],
                reporter=users["officer"] if organization_id in officer_orgs else users["planner"],
                approver=users["manager"] if organization_id in manager_orgs else users["planner"],
                now=now,
            )
            if report is None:
                unreported += 1
            elif (initiative_id, organization_id, fiscal_year) not in existing:
                reports.append(report)
    ProgressReport.objects.bulk_create(reports, batch_size=500)
    return {"responsibilities": len(pairs), "created": len(reports), "unreported": unreported}


# --- indicators ---------------------------------------------------------------------------


def _guess_unit(title: str) -> str:
    if "割合" in title or "率" in title:
        return "%"
    if "団体" in title:
        return "団体"
    if "戸数" in title:
        return "戸"
    if "件数" in title or "住宅数" in title:
        return "件"
    return "人"


def _demo_definition(title: str, rng: random.Random) -> tuple[str, Decimal, Decimal, bool, float]:
    if title in DEMO_INDICATORS:
        unit, baseline, target, higher_is_better, reach = DEMO_INDICATORS[title]
        return unit, Decimal(baseline), Decimal(target), higher_is_better, reach
    # Another plan's indicator: a plausible made-up range for its unit.
    unit = _guess_unit(title)
    if unit == "%":
        start = round(rng.uniform(30, 65), 1)
        return (
            unit,
            Decimal(str(start)),
            Decimal(str(round(start + rng.uniform(5, 15), 1))),
            True,
            0.8,
        )
    start = rng.randint(20, 300)
    return unit, Decimal(start), Decimal(int(start * rng.uniform(1.1, 1.4))), True, 0.8


def create_demo_indicator_values(plan: Plan, seed: int) -> dict[str, int]:
    """Units, 2019 baselines, 2025 targets and yearly values that move toward the target."""
    baseline_year, target_year = plan.first_fiscal_year - 1, plan.last_fiscal_year
    indicators = list(Indicator.objects.filter(plan=plan))
    IndicatorValue.objects.filter(indicator__plan=plan, source=DEMO_SOURCE).delete()
    kept = set(
        IndicatorValue.objects.filter(indicator__plan=plan).values_list(
            "indicator_id", "fiscal_year"
        )
    )
    values: list[IndicatorValue] = []
    for indicator in indicators:
        rng = random.Random(f"{seed}:indicator:{indicator.title}")
        unit, baseline, target, higher_is_better, reach = _demo_definition(indicator.title, rng)
        indicator.unit = unit
        indicator.baseline_value, indicator.baseline_year = baseline, baseline_year
        indicator.target_value, indicator.target_year = target, target_year
        indicator.higher_is_better = higher_is_better
        span = float(target - baseline)
        dips = any(word in indicator.title for word in PANDEMIC_WORDS)
        for fiscal_year in range(plan.first_fiscal_year, plan.last_fiscal_year + 1):
            share = (fiscal_year - baseline_year) / (target_year - baseline_year)
            value = float(baseline) + span * reach * share
            value += span * rng.uniform(-0.05, 0.05)
            if dips:
                value -= span * PANDEMIC_DIP.get(fiscal_year, 0)
            value = max(value, 0.0)
            if unit == "%":
                amount = Decimal(str(round(min(value, 100.0), 1)))
            else:
                amount = Decimal(round(value))
            if (indicator.pk, fiscal_year) not in kept:
                values.append(
                    IndicatorValue(
                        indicator=indicator,
                        fiscal_year=fiscal_year,
                        value=amount,
                        source=DEMO_SOURCE,
                        note=DEMO_NOTE,
                    )
                )
    Indicator.objects.bulk_update(
        indicators,
        [
            "unit",
            "baseline_value",
            "baseline_year",
            "target_value",
            "target_year",
            "higher_is_better",
        ],
    )
    IndicatorValue.objects.bulk_create(values)
    return {"indicators": len(indicators), "values": len(values)}


# --- the loader ---------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        lines.append(
            "  ".join(
                cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)
            ).rstrip()
        )
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return lines


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--fiscal-years",
        default="2024-2025",
        help="fiscal years to make progress reports for; the last one is still being reported "
        "(default: 2024-2025)",
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="seed for the made-up data (default: 1)"
    )


def load_plans_demo(context: DemoContext) -> None:
    """The seed plan, the demo accounts, progress reports and indicator values."""
    years = fiscal_years(context.options.get("fiscal_years", "2024-2025"))
    seed: int = context.options.get("seed", 1)
    password = settings.TSUNAGU_DEMO_PASSWORD
    if not password:
        raise CommandError("TSUNAGU_DEMO_PASSWORD is empty; set it to the demo accounts' password")
    owner = Organization.objects.get(name=PLAN_OWNER)
    try:
        read = read_plan_file(
            SEED_PLAN, name=PLAN_NAME, municipality=MUNICIPALITY, fiscal_years=PLAN_YEARS
        )
    except PlanFormatError as exc:
        raise CommandError(f"{SEED_PLAN}: the plan was not imported:\n{exc}") from None
    loaded = load_plan(read.document, owner=owner)
    plan = loaded.plan
    assert plan is not None
    users = ensure_accounts(password)
    progress = create_demo_progress(plan, years, seed, users)
    indicators = create_demo_indicator_values(plan, seed)

    plan_counts = loaded.counts
    context.write(
        f"plan: {plan} — {plan_counts['goals']} goals, {plan_counts['directions']} "
        f"directions, {plan_counts['measures']} measures, {plan_counts['initiatives']} "
        "initiatives"
    )
    if loaded.new_organizations:
        context.write(
            "organisations not in the reference data: " + ", ".join(loaded.new_organizations),
            "warning",
        )
    context.write(
        f"progress reports FY{years[0]}–FY{years[1]}: {progress['created']} new for "
        f"{progress['responsibilities']} initiative × department pairs; "
        f"{progress['unreported']} not yet reported in FY{years[1]}"
    )
    context.write(
        f"indicators: {indicators['indicators']}, with {indicators['values']} demo values "
        f"(source 「{DEMO_SOURCE}」)"
    )
    context.write_last("Demo accounts (one password for all, from TSUNAGU_DEMO_PASSWORD):")
    rows = [["username", "name", "role", "password"]]
    rows += [[a.username, a.display_name, a.role_label, password] for a in DEMO_ACCOUNTS]
    for line in _table(rows):
        context.write_last("  " + line)
