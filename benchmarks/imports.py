"""The import's figures in ``benchmarks/run.py``: ``import_records`` run as a user would run it.

A synthetic 台账 (``request_workbook``: a 申请 sheet of 20,000 rows over 40 bodies, with
applicants, 补正, 征求意见, extensions, fees and results in realistic shares) is imported by
``python manage.py import_records`` in a subprocess, into the dedicated database
``disclosure_bench_import`` on the PostgreSQL server of ``DATABASE_URL`` (emptied with
``flush`` and given its bodies by an import of a 机构 sheet first). Each figure is the wall
time of the whole command (Python start-up, reading, checking, writing, commit) and its peak
memory (the process's own high-water mark, ``VmHWM``; Linux). Then the same file is imported again:
every row is unchanged. Last, a zip bomb (``bomb_workbook``: a sheet of about 1.1 GB packed
into a few MB) is refused, timed and measured the same way.

Runnable alone: ``python benchmarks/run.py --only import``.
"""

from __future__ import annotations

import datetime
import io
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMPORT_DATABASE = "disclosure_bench_import"
REQUEST_ROWS = 20_000
BODIES = 40
ROWS_PER_SECOND_TARGET = 2_000
BOMB_SECONDS_TARGET = 20
MEMORY_TARGET_MB = 500
SEED = 20261130

# The 申请 sheet's columns as ``import-workbook.md`` names them (every one, optional included).
REQUEST_HEADER = [
    "机构代码",
    "申请编号",
    "收到申请日期",
    "申请人类型",
    "申请人",
    "证件号码",
    "申请方式",
    "申请内容",
    "补正告知日期",
    "补正期限",
    "补正收到日期",
    "征求意见开始日期",
    "征求意见结束日期",
    "延期天数",
    "延期批准日期",
    "延期批准人",
    "延期理由",
    "收费方式",
    "收费通知日期",
    "缴费期限",
    "收费金额(元)",
    "缴费日期",
    "办结日期",
    "办理结果",
]
BODY_HEADER = ["机构代码", "机构名称", "上级机构代码", "机构类型"]
APPLICANT_KINDS = [
    ("自然人", 80),
    ("商业企业", 10),
    ("科研机构", 1),
    ("社会公益组织", 1),
    ("法律服务机构", 5),
    ("其他", 3),
]
CHANNELS = ["当面", "邮寄", "平常信函", "互联网", "传真", "电子邮件"]
RESULTS = [
    ("予以公开", 40),
    ("部分公开", 15),
    ("属于国家秘密", 1),
    ("保护第三方合法权益", 3),
    ("属于四类过程性信息", 4),
    ("本机关不掌握相关政府信息", 20),
    ("没有现成信息需要另行制作", 5),
    ("信访举报投诉类申请", 6),
    ("重复申请", 3),
    ("3.其他", 3),
]
SUBJECTS = ["征地补偿安置", "房屋征收", "建设项目审批", "环境影响评价", "财政预算", "招标采购"]


def body_codes(bodies: int = BODIES) -> list[str]:
    return ["bench"] + [f"bench-{index:02d}" for index in range(1, bodies)]


def bodies_workbook(bodies: int = BODIES) -> bytes:
    """A 机构 sheet: one government and its departments."""
    codes = body_codes(bodies)
    rows = [[codes[0], "基准测试市人民政府", None, "人民政府"]] + [
        [code, f"基准测试市第{index}局", codes[0], "政府部门"]
        for index, code in enumerate(codes[1:], start=1)
    ]
    return excel_workbook("机构", [BODY_HEADER, *rows])


def _weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in choices], [weight for _, weight in choices])[0]


def _id_number(rng: random.Random) -> str:
    """A well-formed 居民身份证号码 (GB 11643 check digit, a real birth date)."""
    area = rng.choice(["620102", "620602", "110101", "440305"])
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 50))
    body = f"{area}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


def request_rows(rows: int = REQUEST_ROWS, bodies: int = BODIES, seed: int = SEED) -> list[list]:
    """The 申请 rows (without the header), received from 2024-01-02 over about 20 months."""
    rng = random.Random(seed)
    codes = body_codes(bodies)
    people = [(f"王示例{index:05d}", _id_number(rng)) for index in range(rows * 3 // 5)]
    companies = [(f"示例商贸有限公司{index:04d}", "") for index in range(rows // 20)]
    numbers: dict[tuple[str, int], int] = {}
    start = datetime.date(2024, 1, 2)
    table = []
    for index in range(rows):
        code = codes[index % len(codes)]
        received = start + datetime.timedelta(days=index * 600 // rows)
        numbers[(code, received.year)] = numbers.get((code, received.year), 0) + 1
        kind = _weighted(rng, APPLICANT_KINDS)
        name, id_number = rng.choice(people if kind == "自然人" else companies)
        day = datetime.timedelta(days=1)
        row: dict[str, object] = {
            "机构代码": code,
            "申请编号": f"{received.year}-{numbers[(code, received.year)]:04d}",
            # Half as Excel date cells, half as text, as offices mix them.
            "收到申请日期": datetime.datetime.combine(received, datetime.time())
            if index % 2
            else received.isoformat(),
            "申请人类型": kind,
            "申请人": name,
            "证件号码": id_number or None,
            "申请方式": rng.choice(CHANNELS),
            "申请内容": f"申请公开{rng.choice(SUBJECTS)}相关文件（第{index + 1}号）",
        }
        clock = received
        if rng.random() < 0.05:
            row["补正告知日期"] = received + 3 * day
            row["补正期限"] = received + 18 * day
            clock = received + 10 * day
            row["补正收到日期"] = clock
        if rng.random() < 0.05:
            row["征求意见开始日期"] = clock + 5 * day
            row["征求意见结束日期"] = clock + 19 * day
        if rng.random() < 0.08:
            row["延期天数"] = rng.choice([5, 10, 20])
            row["延期批准日期"] = clock + 25 * day
            row["延期批准人"] = "李示例"
            row["延期理由"] = "需调取档案核实"
        if rng.random() < 0.01:
            row["收费方式"] = "按件"
            row["收费通知日期"] = clock + 8 * day
            row["缴费期限"] = clock + 36 * day
            row["收费金额(元)"] = 100
            row["缴费日期"] = clock + 12 * day
        if rng.random() < 0.85:
            row["办结日期"] = clock + rng.randrange(5, 40) * day
            row["办理结果"] = _weighted(rng, RESULTS)
        table.append([row.get(column) for column in REQUEST_HEADER])
    return table


def request_workbook(rows: int = REQUEST_ROWS, bodies: int = BODIES) -> bytes:
    return excel_workbook("申请", [REQUEST_HEADER, *request_rows(rows, bodies)])


EXCEL_EPOCH = datetime.date(1899, 12, 30)
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
SPREADSHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def excel_workbook(sheet: str, rows: list[list]) -> bytes:
    """One sheet written as Excel writes it (openpyxl writes every text inline instead):
    texts in the shared strings table, dates as serial numbers with a date format."""
    from xml.sax.saxutils import escape

    strings: dict[str, int] = {}
    lines = []
    width = max(len(row) for row in rows)
    for number, row in enumerate(rows, start=1):
        cells = []
        for index, value in enumerate(row):
            if value is None:
                continue
            ref = f"{_column(index)}{number}"
            if isinstance(value, datetime.date):
                day = value.date() if isinstance(value, datetime.datetime) else value
                cells.append(f'<c r="{ref}" s="1"><v>{(day - EXCEL_EPOCH).days}</v></c>')
            elif isinstance(value, int | float):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                index_of = strings.setdefault(str(value), len(strings))
                cells.append(f'<c r="{ref}" t="s"><v>{index_of}</v></c>')
        lines.append(f'<row r="{number}">{"".join(cells)}</row>')
    sheet_xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}">'
        f'<dimension ref="A1:{_column(width - 1)}{len(rows)}"/><sheetData>'
        + "".join(lines)
        + "</sheetData></worksheet>"
    )
    shared = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN_NS}" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
        + "</sst>"
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEETML}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SPREADSHEETML}.'
            'worksheet+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{SPREADSHEETML}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SPREADSHEETML}.'
            'sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook '
            f'xmlns="{MAIN_NS}" xmlns:r="{RELATIONSHIPS}"><sheets><sheet name="{escape(sheet)}" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{RELATIONSHIPS}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/styles.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet '
            f'xmlns="{MAIN_NS}"><fonts count="1"><font><sz val="11"/><name val="等线"/></font>'
            '</fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
            '<patternFill patternType="gray125"/></fill></fills><borders count="1"><border>'
            "<left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs "
            'count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" '
            'applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="常规" '
            'xfId="0" builtinId="0"/></cellStyles></styleSheet>'
        ),
        "xl/sharedStrings.xml": shared,
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def bomb_workbook(path: Path, *, gigabytes: float = 1.1) -> None:
    """A workbook like the one that took the import to 4 GB of memory: a 机构 sheet, and a
    second sheet whose rows expand to ``gigabytes`` from about a thousandth of that."""
    row = b'<row><c t="s"><v>0</v></c><c><v>1</v></c></row>' * 20_000
    with (
        zipfile.ZipFile(io.BytesIO(bodies_workbook())) as good,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for name in good.namelist():
            archive.writestr(name, good.read(name))
        with archive.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as part:
            part.write(f'<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode())
            for _ in range(int(gigabytes * 1024**3 / len(row)) + 1):
                part.write(row)
            part.write(b"</sheetData></worksheet>")


# --- running the command ------------------------------------------------------------------


@dataclass(frozen=True)
class CommandRun:
    seconds: float  # wall clock, start-up included
    cpu: float  # user + system seconds of the command's process
    peak_mb: float  # its maximum resident set size
    status: int
    stdout: str
    stderr: str


# ``manage.py`` run as it runs from the shell, writing its own peak memory when it exits:
# the peak of its address space (VmHWM). The rusage of a child also counts the memory of the
# parent it was forked from, before its exec (hundreds of MB in a full benchmark run).
_MEASURED_MANAGE = """
import atexit, runpy, sys
peak = sys.argv.pop(1)
def note_peak():
    with open("/proc/self/status") as status, open(peak, "w") as out:
        out.write(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
atexit.register(note_peak)
sys.argv = ["manage.py", *sys.argv[1:]]
runpy.run_path("manage.py", run_name="__main__")
"""


def run_command(arguments: list[str], environment: dict[str, str]) -> CommandRun:
    """``python manage.py …`` in its own process: its wall clock, its CPU time (``wait4``)
    and its peak memory (its own ``VmHWM``)."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r") as peak,
    ):
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", _MEASURED_MANAGE, peak.name, *arguments],
            cwd=ROOT,
            env=environment,
            stdout=out,
            stderr=err,
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return CommandRun(
            seconds=seconds,
            cpu=usage.ru_utime + usage.ru_stime,
            peak_mb=int(peak.read() or 0) / 1024,  # kilobytes
            status=process.returncode,
            stdout=out.read().decode(),
            stderr=err.read().decode(),
        )


def _checked(run: CommandRun, what: str, *, status: int = 0, expect: str = "") -> CommandRun:
    if run.status != status or expect not in run.stdout + run.stderr:
        raise RuntimeError(
            f"{what}: exit status {run.status}, expected {status} and {expect!r}\n"
            f"{run.stdout}\n{run.stderr}"
        )
    return run


def import_figures(database_url: str, *, rows: int = REQUEST_ROWS) -> list:
    """The import rows of the benchmark table (``measure.Figure``), measured on the
    dedicated database of the server of ``database_url``."""
    from benchmarks import measure, synthetic

    url = synthetic.bench_database_url(database_url, IMPORT_DATABASE)
    if synthetic.ensure_database(url):
        print(f"created database {IMPORT_DATABASE}")
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "PYTHONPATH": str(ROOT),
    }
    _checked(run_command(["migrate", "--no-input", "-v", "0"], environment), "migrate")
    _checked(run_command(["flush", "--no-input"], environment), "flush")
    with tempfile.TemporaryDirectory() as folder:
        bodies, requests, bomb = (
            Path(folder) / name for name in ("机构.xlsx", "申请.xlsx", "炸弹.xlsx")
        )
        bodies.write_bytes(bodies_workbook())
        requests.write_bytes(request_workbook(rows))
        bomb_workbook(bomb)
        _checked(
            run_command(["import_records", str(bodies)], environment), "bodies", expect="新增 40 条"
        )
        new = _checked(
            run_command(["import_records", str(requests)], environment),
            "new rows",
            expect=f"新增 {rows} 条",
        )
        again = _checked(
            run_command(["import_records", str(requests)], environment),
            "unchanged rows",
            expect=f"未变 {rows} 条",
        )
        refused = _checked(
            run_command(["import_records", str(bomb)], environment),
            "bomb",
            status=1,
            expect="文件解压后超过 200 MB",
        )
        sizes = f"{requests.stat().st_size / 1024**2:.1f} MB"
        bomb_size = f"{bomb.stat().st_size / 1024**2:.1f} MB"
    figures = [
        _rate_figure(measure, f"7 import {rows:,} new 申请 rows ({sizes} .xlsx)", new, rows),
        _rate_figure(measure, f"7 import the same {rows:,} rows again (unchanged)", again, rows),
        measure.Figure(
            f"7 import of a zip bomb ({bomb_size} .xlsx, a sheet of 1.1 GB), refused",
            refused.seconds,
            None,
            target=f"< {BOMB_SECONDS_TARGET} s, < {MEMORY_TARGET_MB} MB",
            verdict="ok"
            if refused.seconds < BOMB_SECONDS_TARGET and refused.peak_mb < MEMORY_TARGET_MB
            else "SLOW",
            note=f"peak memory {refused.peak_mb:.0f} MB; exit status {refused.status}",
            cpu=refused.cpu,
        ),
    ]
    return figures


def _rate_figure(measure, label: str, run: CommandRun, rows: int):
    rate = rows / run.seconds
    return measure.Figure(
        label,
        run.seconds,
        None,
        target=f"≥ {ROWS_PER_SECOND_TARGET:,} rows/s",
        verdict="ok" if rate >= ROWS_PER_SECOND_TARGET else "SLOW",
        note=f"{rate:,.0f} rows/s (whole command, wall clock); peak memory {run.peak_mb:.0f} MB",
        cpu=run.cpu,
    )


def heading() -> str:
    import platform

    return (
        f"import: {REQUEST_ROWS:,} 申请 rows over {BODIES} bodies, PostgreSQL; "
        f"{os.cpu_count()} CPUs ({platform.machine()}), load average "
        f"{os.getloadavg()[0]:.1f}, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; "
        "one run each, the whole command in its own process (start-up included). "
        "The machine is shared: timings are noisy; the CPU column moves less."
    )
