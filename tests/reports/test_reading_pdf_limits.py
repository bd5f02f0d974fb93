"""A PDF whose streams inflate beyond reason is refused as it is read, by name, within the
memory a report takes (reports.reading.readers.pdf_limits); within the limits the bounded
decoders give what pdfminer's own give."""

from __future__ import annotations

import zlib

import pytest

from reports.reading import limits
from reports.reading.errors import ReadingError
from reports.reading.limits import MB
from reports.reading.readers import pdf_limits, read_source
from reports.reading.readers.pdf_limits import PDFMINER_DECODERS

TEXT = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET\n"


def pdf(*contents: bytes, filter_name: bytes = b"/FlateDecode", encode=zlib.compress) -> bytes:
    """A PDF of one page per content stream, each stored with ``filter_name``."""
    pages = len(contents)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(pages)), pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, content in enumerate(contents):
        stream = encode(content)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (5 + 2 * i)
        )
        objects.append(
            b"<< /Length %d /Filter %s >>\nstream\n%s\nendstream"
            % (len(stream), filter_name, stream)
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        table,
    )
    return bytes(out)


def refusal(data: bytes) -> str:
    with pytest.raises(ReadingError) as refused:
        read_source(data, "报告.pdf")
    return str(refused.value)


def test_a_stream_inflating_past_its_limit_is_refused_by_name():
    bomb = pdf(TEXT + b" " * (60 * MB))  # 60 KB as stored

    assert len(bomb) < 100_000
    assert refusal(bomb) == "PDF 文件中有数据流解压后超过 50 MB，不予读取（可能是“压缩炸弹”）。"


def test_streams_passing_the_files_limit_together_are_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_STREAM_BYTES", 2 * MB)
    monkeypatch.setattr(limits, "MAX_PDF_STREAM_BYTES", 3 * MB)
    pages = [TEXT + b" " * (MB + MB // 2)] * 3  # each within its limit, 4.5 MB together

    assert refusal(pdf(*pages)) == (
        "PDF 文件中的数据流解压后合计超过 3 MB，不予读取（可能是“压缩炸弹”）。"
    )


def test_a_stream_within_the_limits_is_read(monkeypatch):
    monkeypatch.setattr(limits, "MAX_STREAM_BYTES", 2 * MB)

    source = read_source(pdf(TEXT + b" " * (MB + MB // 2)), "报告.pdf")

    assert [line.text for line in source.lines] == ["Hello"]


@pytest.mark.parametrize(
    ("filter_name", "encode"),
    [
        (b"/RunLengthDecode", lambda data: b"\x00" + data[:1] + b"\x81 " * (len(data) // 128)),
        (b"/FlateDecode", lambda data: zlib.compress(data)[:-2] + b"\0\0"),  # checksum damaged
    ],
    ids=["run-length", "damaged-flate"],
)
def test_the_other_decoders_keep_their_limits(monkeypatch, filter_name, encode):
    monkeypatch.setattr(limits, "MAX_STREAM_BYTES", MB)
    bomb = pdf(TEXT + b" " * (2 * MB), filter_name=filter_name, encode=encode)

    assert refusal(bomb) == "PDF 文件中有数据流解压后超过 1 MB，不予读取（可能是“压缩炸弹”）。"


# --- the bounded decoders give pdfminer's results ------------------------------------------


def text_of(size: int) -> bytes:
    return b"".join(b"%d Tj " % number for number in range(size))[:size]


@pytest.mark.parametrize("size", [0, 1, 1000, 3 * MB + 17])
def test_inflate_gives_zlibs_bytes_and_errors(size):
    data = text_of(size)
    with pdf_limits.bounded():
        assert pdf_limits._inflate(zlib.compress(data)) == data
        # Trailing bytes after the end of the data are ignored, as zlib.decompress does.
        assert pdf_limits._inflate(zlib.compress(data) + b"\n\r") == data
        for damaged in (zlib.compress(data)[:-5], b"not zlib at all"):
            with pytest.raises(zlib.error):
                zlib.decompress(damaged)
            with pytest.raises(zlib.error):
                pdf_limits._inflate(damaged)


@pytest.mark.parametrize(
    "damage",
    [
        lambda z: z[:-1] + bytes([z[-1] ^ 0xFF]),  # the checksum's last byte
        lambda z: z[:-4],  # cut before the checksum
        lambda z: z[:40] + b"\xff\xff\xff" + z[43:],  # the middle: an error pdfminer raises
    ],
    ids=["checksum", "cut", "middle"],
)
def test_the_damaged_stream_fallback_matches_pdfminers(damage):
    damaged = damage(zlib.compress(text_of(200_000)))

    def outcome(decode):
        try:
            return decode(damaged)
        except zlib.error:
            return "zlib.error"

    with pdf_limits.bounded():
        assert outcome(pdf_limits._inflate_damaged) == outcome(
            PDFMINER_DECODERS["decompress_corrupted"]
        )


@pytest.mark.parametrize(
    ("name", "ours", "data"),
    [
        # PDF 1.7, 7.4.4.2: the example of the LZW filter.
        ("lzwdecode", pdf_limits._lzw, b"\x80\x0b\x60\x50\x22\x0c\x0c\x85\x01"),
        ("rldecode", pdf_limits._run_length, b"\x05123456\xfa7\x04abcde\x80junk"),
        ("rldecode", pdf_limits._run_length, b"\x00x\xff-\x7f" + bytes(range(128))),
    ],
)
def test_lzw_and_run_length_decode_as_pdfminer_does(name, ours, data):
    with pdf_limits.bounded():
        assert ours(data) == PDFMINER_DECODERS[name](data)


# --- pages, objects drawn, characters ------------------------------------------------------


def test_a_pdf_of_more_pages_than_the_cap_is_refused_before_a_page_is_read(monkeypatch):
    monkeypatch.setattr(limits, "MAX_PDF_PAGES", 2)

    assert refusal(pdf(TEXT, TEXT, TEXT)) == ("PDF 文件超过 2 页，不像一份年度报告，不予读取。")
    assert read_source(pdf(TEXT, TEXT), "报告.pdf").pages == 2


def test_a_page_drawing_more_than_the_cap_is_refused_as_it_is_drawn(monkeypatch):
    monkeypatch.setattr(limits, "MAX_PAGE_OBJECTS", 100)
    # Ten characters shown eleven times: 110 characters drawn.
    page = b"BT /F1 12 Tf 72 720 Td (HelloHello) Tj ET\n" * 11

    assert refusal(pdf(page)) == (
        "PDF 文件有一页绘制的字符、线条和图像超过 100 个，不像一份年度报告，不予读取。"
    )


def test_the_characters_of_a_pdf_are_capped(monkeypatch):
    monkeypatch.setattr(limits, "MAX_PDF_CHARACTERS", 8)

    assert refusal(pdf(TEXT, TEXT)) == "PDF 文件超过 8 个字符，不像一份年度报告，不予读取。"
