"""A synthetic province on PostgreSQL, written with COPY (never the ORM row by row).

``build(scale, today=...)`` fills the current (empty) database with a province of four
levels — province → cities → counties → departments and 乡镇(街道) — whose ``path``/``depth``
are the materialised paths ``disclosure.services.body_save`` would have written, three years
of requests (received over the 3 × 365 days up to ``today``) with realistic mixes of applicant
kinds, channels, results, 补正, extensions, fees, consultations, withdrawals and voided rows,
appeal cases on concluded requests, the register of documents and yearly figures.

Stored derived fields are filled as the services would: ``due_date``/``base_due_date``/
``correction_notice_late``/``extension_late`` come from ``disclosure.clock.stored_clock`` (each
distinct combination of events computed once; no due date while a 补正 is awaited). No event
is dated after ``today``, as the product refuses one (``disclosure.validators``). References are "YYYY-NNNN" per body and
year, with their ``ReferenceCounter``. Everything is drawn from one seeded generator, so a
scale always yields the same rows for the same ``today``.

``prepare_database`` creates (or reuses) the dedicated database on the server of
``DATABASE_URL``; SQLite is refused.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

BENCH_DATABASE = "disclosure_bench"
# Bumped whenever the generated data changes shape, so that an older build is not reused.
GENERATOR_VERSION = 3  # 2: no event after the day of the build; the clock of clock.py
# 3: the paths of ``child_path`` (primary keys of ten digits)
SEED = 20241231


class NotPostgreSQL(RuntimeError):
    """The benchmarks need PostgreSQL (COPY, the planner's estimates, the real indexes)."""


@dataclass(frozen=True)
class Scale:
    name: str
    cities: int
    counties_per_city: int
    province_departments: int
    city_departments: int
    county_departments: int
    townships_per_county: int
    requests: int
    appeals: int
    documents: int

    @property
    def bodies(self) -> int:
        county = 1 + self.county_departments + self.townships_per_county
        city = 1 + self.city_departments + self.counties_per_city * county
        return 1 + self.province_departments + self.cities * city


SCALES = {
    # 3,149 bodies, 1,000,000 requests, 50,000 appeals, 200,000 documents.
    "province": Scale("province", 14, 6, 40, 35, 22, 8, 1_000_000, 50_000, 200_000),
    # A tenth: 333 bodies, 100,000 requests.
    "small": Scale("small", 4, 3, 20, 20, 12, 6, 100_000, 5_000, 20_000),
    # For the tests: 29 bodies.
    "tiny": Scale("tiny", 2, 2, 2, 2, 2, 2, 600, 30, 80),
}


# --- the dedicated database ---------------------------------------------------------------


def bench_database_url(database_url: str | None, name: str = BENCH_DATABASE) -> str:
    """``database_url`` with its database name replaced by ``name``; refuses non-PostgreSQL."""
    if not database_url:
        raise NotPostgreSQL(
            "DATABASE_URL is not set, so Django would use SQLite. The benchmarks need "
            "PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/disclosure "
            "python benchmarks/run.py"
        )
    parts = urllib.parse.urlsplit(database_url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
        raise NotPostgreSQL(
            f"DATABASE_URL names a {parts.scheme or 'non-PostgreSQL'} database; "
            "the benchmarks need PostgreSQL (postgres://…)."
        )
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def ensure_database(url: str) -> bool:
    """Create the database ``url`` names when it does not exist; True when it was created."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists:
            return False
        connection.execute(f'CREATE DATABASE "{name}"')
    return True


BUILD_TABLE = "benchmark_build"


def recorded_build(connection) -> dict | None:
    """What the last complete build wrote into the database's ``benchmark_build`` row."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [BUILD_TABLE])
        if not cursor.fetchone()[0]:
            return None
        cursor.execute(
            f"SELECT scale, generator, today, built_at, seconds FROM {BUILD_TABLE} LIMIT 1"
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip(("scale", "generator", "today", "built_at", "seconds"), row, strict=True))


def record_build(connection, scale: Scale, today: datetime.date, seconds: float) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {BUILD_TABLE} (scale text, generator int, today date, "
            "built_at timestamptz, seconds double precision)"
        )
        cursor.execute(f"DELETE FROM {BUILD_TABLE}")
        cursor.execute(
            f"INSERT INTO {BUILD_TABLE} VALUES (%s, %s, %s, now(), %s)",
            [scale.name, GENERATOR_VERSION, today, seconds],
        )


def clear(connection) -> None:
    """Empty every table of the two apps (and users, tokens, sessions) for a rebuild."""
    from django.apps import apps

    tables = [
        model._meta.db_table
        for label in ("disclosure", "reports", "auth", "authtoken", "sessions", "admin")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BUILD_TABLE}")
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


# --- writing ------------------------------------------------------------------------------


def copy_into(connection, model, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY ``rows`` (tuples in ``columns`` order) into ``model``'s table.

    The model's other columns get what Django would have written: NULL where nullable,
    else the field's default (``auto_now`` timestamps: now)."""
    now = datetime.datetime.now(datetime.UTC)
    extra_columns, extra_values = [], []
    for field in model._meta.concrete_fields:
        if field.column in columns or field.primary_key or field.null:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()  # "" for text fields without a default
            if value is None:
                raise ValueError(f"{model.__name__}.{field.name} needs a value")
        extra_columns.append(field.column)
        extra_values.append(value)
    extra = tuple(extra_values)
    names = ", ".join(f'"{column}"' for column in [*columns, *extra_columns])
    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {model._meta.db_table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((*row, *extra))
                count += 1
    return count


def reset_sequence(connection, model) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
        )


class Weighted:
    """Draw keys by weight with one ``random()`` and a bisection."""

    def __init__(self, rng: random.Random, weights: dict) -> None:
        self.rng = rng
        self.keys = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def __call__(self):
        return self.keys[bisect.bisect_right(self.cumulative, self.rng.random() * self.total)]


# --- the province -------------------------------------------------------------------------

CITY_NAMES = (
    "安平 白河 长宁 定远 丰泽 广元 和顺 嘉禾 金川 乐安 临泽 龙门 宁远 平川 清河 瑞安".split()
)
DEPARTMENT_NAMES = (
    "发展和改革委员会 教育局 科学技术局 工业和信息化局 公安局 民政局 司法局 财政局 "
    "人力资源和社会保障局 自然资源局 生态环境局 住房和城乡建设局 交通运输局 水务局 农业农村局 "
    "商务局 文化和旅游局 卫生健康委员会 退役军人事务局 应急管理局 审计局 市场监督管理局 "
    "统计局 医疗保障局 林业和草原局 体育局 信访局 国有资产监督管理委员会 乡村振兴局 "
    "城市管理综合执法局 粮食和物资储备局 人民防空办公室 地方金融监督管理局 政务服务管理局 "
    "机关事务管理局 外事办公室 民族宗教事务委员会 档案局 气象局 地震局"
).split()


@dataclass(frozen=True)
class SyntheticBody:
    id: int
    code: str
    name: str
    kind: str
    parent: SyntheticBody | None
    level: str  # province, province_department, city, city_department, county, ...

    @property
    def path(self) -> str:
        from disclosure.models import child_path

        return child_path(self.parent.path if self.parent else "/", self.id)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


# Relative number of requests a body receives, by its place in the tree.
REQUEST_WEIGHT = {
    "province": 60,
    "province_department": 40,
    "city": 30,
    "city_department": 10,
    "county": 12,
    "county_department": 3,
    "township": 1,
}


def province_bodies(scale: Scale) -> list[SyntheticBody]:
    from disclosure.vocab import BodyKind

    bodies: list[SyntheticBody] = []

    def add(code, name, kind, parent, level) -> SyntheticBody:
        body = SyntheticBody(len(bodies) + 1, code, name, kind, parent, level)
        bodies.append(body)
        return body

    def departments(parent, prefix, count, place, level) -> None:
        for number in range(count):
            name = DEPARTMENT_NAMES[number % len(DEPARTMENT_NAMES)]
            if number >= len(DEPARTMENT_NAMES):
                name += str(number // len(DEPARTMENT_NAMES) + 1)
            add(f"{prefix}-d{number + 1:02d}", place + name, BodyKind.DEPARTMENT, parent, level)

    province = add("p", "合川省人民政府", BodyKind.GOVERNMENT, None, "province")
    departments(province, "p", scale.province_departments, "合川省", "province_department")
    for c in range(scale.cities):
        city_place = CITY_NAMES[c % len(CITY_NAMES)] + ("" if c < len(CITY_NAMES) else str(c))
        city_code = f"c{c + 1:02d}"
        city = add(city_code, f"{city_place}市人民政府", BodyKind.GOVERNMENT, province, "city")
        departments(city, city_code, scale.city_departments, f"{city_place}市", "city_department")
        for k in range(scale.counties_per_city):
            county_place = f"{city_place}{k + 1}县"
            county_code = f"{city_code}-k{k + 1:02d}"
            county = add(
                county_code, f"{county_place}人民政府", BodyKind.GOVERNMENT, city, "county"
            )
            departments(
                county, county_code, scale.county_departments, county_place, "county_department"
            )
            for t in range(scale.townships_per_county):
                add(
                    f"{county_code}-t{t + 1:02d}",
                    f"{county_place}第{t + 1}镇人民政府",
                    BodyKind.TOWNSHIP,
                    county,
                    "township",
                )
    return bodies


def _body_rows(bodies: list[SyntheticBody]):
    for body in bodies:
        yield (
            body.id,
            body.code,
            body.name,
            body.kind,
            body.parent.id if body.parent else None,
            body.path,
            body.depth,
            f"{body.name}办公室",
            "0931-1234567",
        )


# --- requests -----------------------------------------------------------------------------

APPLICANT_MIX = {
    "natural_person": 86.0,
    "commercial_enterprise": 7.0,
    "research_institution": 0.4,
    "social_welfare_org": 0.6,
    "legal_service_org": 3.5,
    "other_org": 2.5,
}
CHANNEL_MIX = {
    "internet": 52,
    "post": 24,
    "in_person": 14,
    "email": 5,
    "ordinary_letter": 2,
    "fax": 1,
    "other": 2,
}
# Results of requests concluded without a 补正 going unanswered (that one is decided apart).
RESULT_MIX = {
    "granted": 38.0,
    "partially_granted": 9.0,
    "denied_state_secret": 0.2,
    "denied_law_prohibited": 0.5,
    "denied_three_safeties": 0.3,
    "denied_third_party": 1.5,
    "denied_internal_affairs": 1.5,
    "denied_process_info": 2.0,
    "denied_enforcement_file": 1.0,
    "denied_query_matter": 1.0,
    "unable_not_held": 19.0,
    "unable_needs_creation": 3.0,
    "unable_unclear": 1.5,
    "rejected_petition": 4.0,
    "rejected_duplicate": 3.0,
    "rejected_publication": 0.5,
    "rejected_excessive": 1.0,
    "rejected_confirmation": 1.5,
    "other_other": 6.0,
}
CONTENTS = (
    "申请公开{year}年度本机关部门预算、决算及“三公”经费使用情况。",
    "申请公开本人房屋所在地块的征收补偿方案及征收决定。",
    "申请公开某建设项目的环境影响评价文件及批复。",
    "申请公开{year}年度行政处罚案件的处罚决定书。",
    "申请公开某道路改造工程的立项批复及招标文件。",
    "申请公开本单位{year}年度公务员招录的成绩及录用名单。",
    "申请公开某小区规划许可证及规划总平面图。",
    "申请公开{year}年度财政专项资金分配及使用情况。",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗".split() + ["欧阳", "司马"]
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红"
ORGANISATIONS = {
    "commercial_enterprise": "有限公司",
    "research_institution": "研究院",
    "social_welfare_org": "公益基金会",
    "legal_service_org": "律师事务所",
    "other_org": "协会",
}


@dataclass
class Counts:
    bodies: int = 0
    applicants: int = 0
    requests: int = 0
    consultations: int = 0
    appeals: int = 0
    documents: int = 0
    figures: int = 0
    due_computations: int = 0


class DueDates:
    """``clock.stored_clock`` once per distinct combination of events (a few thousand)."""

    def __init__(self) -> None:
        from disclosure.calendar import WorkingCalendar

        self.calendar = WorkingCalendar(overrides={})  # no overrides in a fresh database
        self.memo: dict[tuple, tuple] = {}

    def __call__(self, *, consultations=(), **fields) -> tuple:
        key = (tuple(sorted(fields.items())), tuple(consultations))
        found = self.memo.get(key)
        if found is None:
            from disclosure.clock import stored_clock
            from disclosure.models import Consultation, InformationRequest

            stored = stored_clock(
                InformationRequest(**fields),
                consultations=[
                    Consultation(sent_on=sent, answered_on=answered)
                    for sent, answered in consultations
                ],
                calendar=self.calendar,
            )
            found = (
                stored["due_date"],
                stored["base_due_date"],
                stored["correction_notice_late"],
                stored["extension_late"],
            )
            self.memo[key] = found
        return found

    def add_working_days(self, day: datetime.date, n: int) -> datetime.date:
        return self.calendar.add_working_days(day, n)


def _applicants(rng: random.Random, scale: Scale, first_id: int):
    """Applicant pools per kind (ids) and their rows; about one applicant per three requests,
    so that some apply again."""
    pools: dict[str, list[int]] = {}
    rows = []
    next_id = first_id
    total = sum(APPLICANT_MIX.values())
    for kind, share in APPLICANT_MIX.items():
        size = max(1, round(scale.requests / 3 * share / total))
        pools[kind] = list(range(next_id, next_id + size))
        for pk in pools[kind]:
            if kind == "natural_person":
                name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
                id_number = f"62{rng.randrange(10**15):015d}{rng.choice('0123456789X')}"
            else:
                name = f"{rng.choice(CITY_NAMES)}{pk}{ORGANISATIONS[kind]}"
                id_number = f"91620{rng.randrange(10**12):012d}X"
            rows.append((pk, kind, name, id_number, f"1{rng.randrange(10**10):010d}"))
        next_id += size
    return pools, rows


@dataclass
class AppealSeed:
    request_id: int
    body_id: int
    concluded_on: datetime.date


def _requests(
    rng: random.Random,
    scale: Scale,
    bodies: list[SyntheticBody],
    pools: dict[str, list[int]],
    today: datetime.date,
    counts: Counts,
    consultation_rows: list,
    appeal_seeds: list[AppealSeed],
    counters: dict[tuple[int, int], int],
):
    """Yield request rows (see ``REQUEST_COLUMNS``); fill consultations, appeal seeds and
    the reference counters on the way."""
    from disclosure.vocab import Result

    due = DueDates()
    pick_body = Weighted(rng, {body.id: REQUEST_WEIGHT[body.level] for body in bodies})
    pick_kind = Weighted(rng, APPLICANT_MIX)
    pick_channel = Weighted(rng, CHANNEL_MIX)
    pick_result = Weighted(rng, RESULT_MIX)
    first_day = today - datetime.timedelta(days=3 * 365 - 1)
    span = (today - first_day).days + 1
    appeal_share = scale.appeals / scale.requests * 1.25
    voided_at = datetime.datetime.combine(today, datetime.time(9), tzinfo=datetime.UTC)

    for pk in range(1, scale.requests + 1):
        counts.requests += 1
        body_id = pick_body()
        kind = pick_kind()
        channel = pick_channel()
        received = first_day + datetime.timedelta(days=rng.randrange(span))
        if received.weekday() >= 5 and channel not in ("internet", "email"):
            received = min(received + datetime.timedelta(days=7 - received.weekday()), today)
        number = counters.get((body_id, received.year), 0) + 1
        counters[(body_id, received.year)] = number
        applicant = rng.choice(pools[kind]) if rng.random() < 0.9 else None

        correction_notice = correction_deadline = correction_received = None
        extension_days = extension_decided = None
        fee_method, fee_amount, fee_notice, fee_due = "", None, None, None
        consultation = None
        result = ""
        roll = rng.random()
        if roll < 0.10:  # 补正
            correction_notice = received + datetime.timedelta(days=rng.choice((2, 3, 5, 9)))
            correction_deadline = correction_notice + datetime.timedelta(days=15)
            if rng.random() < 0.8:
                correction_received = correction_notice + datetime.timedelta(
                    days=rng.choice((2, 4, 6, 10))
                )
            else:
                result = Result.OTHER_NO_CORRECTION
        elif roll < 0.16:  # extended
            extension_days = 20 if rng.random() < 0.8 else rng.choice((5, 10, 15))
            extension_decided = received + datetime.timedelta(days=rng.choice((18, 24, 26)))
        elif roll < 0.17:  # 征求意见 (third party)
            sent = received + datetime.timedelta(days=5)
            answered = sent + datetime.timedelta(days=rng.choice((7, 14, 21)))
            consultation = (sent, answered)
        elif roll < 0.175:  # fee notice, then unpaid
            fee_method, fee_amount = "per_request", Decimal("100.00")
            fee_notice = received + datetime.timedelta(days=7)
            fee_due = due.add_working_days(fee_notice, 20)
            result = Result.OTHER_FEE_UNPAID

        # An event still to come on the day of the build has not happened: it is not recorded
        # (the product refuses a record date after today). Deadlines may lie ahead.
        if correction_notice is not None and correction_notice > today:
            correction_notice = correction_deadline = correction_received = None
            result = ""
        if correction_received is not None and correction_received > today:
            correction_received = None
        if extension_decided is not None and extension_decided > today:
            extension_days = extension_decided = None
        if consultation is not None and consultation[0] > today:
            consultation = None
        if consultation is not None and consultation[1] > today:
            consultation = (consultation[0], None)
        if fee_notice is not None and fee_notice > today:
            fee_method, fee_amount, fee_notice, fee_due = "", None, None, None
            result = ""

        due_date, base_due, notice_late, extension_late = due(
            received_on=received,
            correction_notice_on=correction_notice,
            correction_received_on=correction_received,
            extension_days=extension_days,
            extension_decided_on=extension_decided,
            fee_notice_on=fee_notice,
            fee_due_on=fee_due,
            consultations=(consultation,) if consultation else (),
        )
        counts.due_computations = len(due.memo)

        # When it concluded: mostly well inside the clock, a few late, a few still open.
        start = correction_received or received
        withdrawn = None
        if result == Result.OTHER_NO_CORRECTION:
            concluded = correction_deadline + datetime.timedelta(days=rng.randrange(1, 6))
        elif result == Result.OTHER_FEE_UNPAID:
            concluded = fee_due + datetime.timedelta(days=rng.randrange(1, 4))
        elif correction_notice and not correction_received:
            concluded = None
        else:
            lateness = rng.random()
            if lateness < 0.004:
                concluded = None  # forgotten: overdue once the clock runs out
            elif lateness < 0.03:
                concluded = due_date + datetime.timedelta(days=rng.randrange(1, 20))
            else:
                concluded = start + datetime.timedelta(
                    days=rng.randrange(1, max(2, (due_date - start).days + 1))
                )
            result = pick_result()
            if result == Result.OTHER_OTHER and rng.random() < 0.5:
                withdrawn = concluded
        if concluded is not None and concluded > today:
            concluded, withdrawn = None, None
        if concluded is None:
            result = ""
        elif not result:
            result = pick_result()
        if consultation is not None:
            consultation_rows.append((pk, "第三方", *consultation))
            counts.consultations += 1
        if concluded is not None and rng.random() < appeal_share:
            appeal_seeds.append(AppealSeed(pk, body_id, concluded))
        voided = rng.random() < 0.003
        yield (
            pk,
            body_id,
            f"{received.year}-{number:04d}",
            applicant,
            kind,
            channel,
            received,
            CONTENTS[pk % len(CONTENTS)].format(year=received.year - 1),
            correction_notice,
            correction_deadline,
            correction_received,
            extension_days,
            extension_decided,
            "分管负责人" if extension_days else "",
            "需调取档案、会商多个内设机构" if extension_days else "",
            fee_method,
            fee_amount,
            fee_notice,
            fee_due,
            withdrawn,
            concluded,
            result,
            due_date,
            base_due,
            notice_late,
            extension_late,
            voided_at if voided else None,
            "重复录入" if voided else "",
        )


REQUEST_COLUMNS = (
    "id",
    "body_id",
    "reference",
    "applicant_id",
    "applicant_kind",
    "channel",
    "received_on",
    "content",
    "correction_notice_on",
    "correction_deadline",
    "correction_received_on",
    "extension_days",
    "extension_decided_on",
    "extension_approver",
    "extension_reason",
    "fee_method",
    "fee_amount",
    "fee_notice_on",
    "fee_due_on",
    "withdrawn_on",
    "concluded_on",
    "result",
    "due_date",
    "base_due_date",
    "correction_notice_late",
    "extension_late",
    "voided_at",
    "void_reason",
)


# --- appeals, documents, figures ----------------------------------------------------------

APPEAL_MIX = {
    "reconsideration": 70,
    "litigation_direct": 20,
    "litigation_after_reconsideration": 10,
}
APPEAL_RESULT_MIX = {"upheld": 70, "corrected": 12, "other": 18}
APPEAL_PREFIX = {
    "reconsideration": "复决字",
    "litigation_direct": "行初",
    "litigation_after_reconsideration": "行终",
}


def _appeals(rng: random.Random, scale: Scale, seeds: list[AppealSeed], today: datetime.date):
    pick_kind = Weighted(rng, APPEAL_MIX)
    pick_result = Weighted(rng, APPEAL_RESULT_MIX)
    numbers: dict[tuple[str, int], int] = {}
    chosen = rng.sample(seeds, min(scale.appeals, len(seeds)))
    for seed in chosen:
        kind = pick_kind()
        filed = seed.concluded_on + datetime.timedelta(days=rng.randrange(5, 60))
        if filed > today:
            filed = today
        concluded = filed + datetime.timedelta(days=rng.randrange(30, 150))
        result = pick_result()
        if concluded > today:
            concluded, result = None, ""
        number = numbers.get((kind, filed.year), 0) + 1
        numbers[(kind, filed.year)] = number
        yield (
            seed.body_id,
            kind,
            f"（{filed.year}）{APPEAL_PREFIX[kind]}第{number}号",
            filed,
            seed.request_id,
            concluded,
            result,
        )


def _documents(rng: random.Random, scale: Scale, bodies: list[SyntheticBody], today):
    """The register over eight years (so that 现行有效 counts accumulate)."""
    governments = [b for b in bodies if b.level in ("province", "city")]
    issuers = Weighted(rng, {b.id: REQUEST_WEIGHT[b.level] + 2 for b in bodies})
    first_day = today - datetime.timedelta(days=8 * 365)
    span = (today - first_day).days + 1
    numbers: dict[tuple[int, int], int] = {}
    for _ in range(scale.documents):
        if rng.random() < 0.03:
            body_id, kind = rng.choice(governments).id, "rules"
        else:
            body_id, kind = issuers(), "normative_documents"
        issued = first_day + datetime.timedelta(days=rng.randrange(span))
        number = numbers.get((body_id, issued.year), 0) + 1
        numbers[(body_id, issued.year)] = number
        repealed = valid_until = None
        roll = rng.random()
        if roll < 0.15:
            repealed = issued + datetime.timedelta(days=rng.randrange(180, 2000))
            repealed = repealed if repealed <= today else None
        elif roll < 0.45:
            valid_until = issued + datetime.timedelta(days=rng.choice((2, 3, 5)) * 365)
        yield (
            body_id,
            kind,
            f"关于进一步规范第{number}项工作的通知",
            f"〔{issued.year}〕{number}号·{body_id}",
            issued,
            issued + datetime.timedelta(days=30),
            repealed,
            valid_until,
        )


FIGURE_RANGE = {
    "licensing": (0, 4000),
    "penalty": (0, 1500),
    "enforcement": (0, 80),
    "website": (20, 3000),
    "new_media": (10, 2000),
    "gazette": (0, 120),
    "bulletin_board": (0, 300),
    "other_channel": (0, 200),
    "policy_interpretation": (0, 60),
    "response": (0, 90),
}


def _figures(rng: random.Random, bodies: list[SyntheticBody], years: Iterable[int]):
    for year in years:
        for body in bodies:
            for item, (low, high) in FIGURE_RANGE.items():
                if rng.random() < 0.8:
                    yield (body.id, year, item, Decimal(rng.randint(low, high)), "年度统计")
            if rng.random() < 0.3:
                fees = Decimal(rng.randrange(0, 5_000_000)) / Decimal(10_000)
                yield (body.id, year, "fees", fees, "财务部门")


# --- the build ----------------------------------------------------------------------------


def build(
    scale: Scale,
    *,
    today: datetime.date,
    connection=None,
    progress: Callable[[str], None] = lambda message: None,
) -> Counts:
    """Write the synthetic province into the (empty) PostgreSQL database of ``connection``."""
    from django.db import connection as default_connection
    from django.db import transaction

    from disclosure.models import (
        AppealCase,
        Applicant,
        Body,
        Consultation,
        Document,
        InformationRequest,
        ReferenceCounter,
        YearlyFigure,
    )

    connection = connection or default_connection
    if connection.vendor != "postgresql":
        raise NotPostgreSQL(
            f"the synthetic province is written with PostgreSQL's COPY; this database is "
            f"{connection.vendor}"
        )
    rng = random.Random(SEED)
    counts = Counts()
    with transaction.atomic(using=connection.alias):
        bodies = province_bodies(scale)
        counts.bodies = copy_into(
            connection,
            Body,
            ("id", "code", "name", "kind", "parent_id", "path", "depth", "address", "phone"),
            _body_rows(bodies),
        )
        progress(f"bodies {counts.bodies}")
        pools, applicant_rows = _applicants(rng, scale, 1)
        counts.applicants = copy_into(
            connection, Applicant, ("id", "kind", "name", "id_number", "contact"), applicant_rows
        )
        progress(f"applicants {counts.applicants}")
        consultations: list = []
        seeds: list[AppealSeed] = []
        counters: dict[tuple[int, int], int] = {}
        copy_into(
            connection,
            InformationRequest,
            REQUEST_COLUMNS,
            _requests(rng, scale, bodies, pools, today, counts, consultations, seeds, counters),
        )
        progress(f"requests {counts.requests} ({counts.due_computations} reply clocks)")
        copy_into(
            connection,
            Consultation,
            ("request_id", "party", "sent_on", "answered_on"),
            consultations,
        )
        copy_into(
            connection,
            ReferenceCounter,
            ("body_id", "year", "last"),
            ((body, year, last) for (body, year), last in sorted(counters.items())),
        )
        counts.appeals = copy_into(
            connection,
            AppealCase,
            ("body_id", "kind", "case_number", "filed_on", "request_id", "concluded_on", "result"),
            _appeals(rng, scale, seeds, today),
        )
        progress(f"appeals {counts.appeals}")
        counts.documents = copy_into(
            connection,
            Document,
            (
                "body_id",
                "kind",
                "title",
                "number",
                "issued_on",
                "effective_on",
                "repealed_on",
                "valid_until",
            ),
            _documents(rng, scale, bodies, today),
        )
        progress(f"documents {counts.documents}")
        counts.figures = copy_into(
            connection,
            YearlyFigure,
            ("body_id", "year", "item", "value", "source"),
            _figures(rng, bodies, range(today.year - 3, today.year + 1)),
        )
        progress(f"yearly figures {counts.figures}")
        for model in (Body, Applicant, InformationRequest):
            reset_sequence(connection, model)
    return counts


def analyze(connection) -> None:
    """VACUUM ANALYZE, as autovacuum would soon: fresh statistics for the planner and a
    visibility map for index-only scans (outside any transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def report_year(today: datetime.date) -> int:
    """The last complete year of the synthetic records."""
    return today.year - 1
