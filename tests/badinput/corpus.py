"""The bad-input corpus: every kind of broken, hostile or odd file a raw folder collects.

`build(dest)` writes the corpus below `dest/raw` (and a file outside it that a symbolic link points
to) and returns what each path must come to: `EXPECTED[path]` is "landed", a quarantine reason, or
None when either outcome is acceptable as long as the file is accounted for. Everything is generated
from a fixed seed, so the binary cases are the same bytes on every machine. The texts are invented
for this corpus.

    .venv/bin/python -m tests.badinput.corpus /tmp/bad   # then: fazhi run /tmp/bad/raw
"""
from __future__ import annotations

import gzip
import io
import os
import random
import struct
import sys
import zipfile
from pathlib import Path

SEED = 20240229

BODY = [
    "一、{year}年推进法治政府建设的主要举措和成效",
    "(一)加强组织领导。{place}人民政府常务会议专题研究法治政府建设{n}次,制定年度工作要点,"
    "把依法行政情况纳入年度考核,各部门主要负责人切实履行推进法治建设第一责任人职责。",
    "(二)深化行政执法改革。全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度,"
    "全年办理行政处罚案件{m}件,组织执法人员培训{k}场次,行政执法案卷评查合格率达到百分之九十以上。",
    "(三)规范重大行政决策。严格履行公众参与、专家论证、风险评估、合法性审查和集体讨论决定程序,"
    "对规范性文件全部进行合法性审核,及时清理不符合上位法规定的文件。",
    "(四)化解矛盾纠纷。办理行政复议案件{r}件,行政机关负责人出庭应诉率保持较高水平,"
    "人民调解组织调处各类纠纷,群众满意度稳步提高。",
    "二、存在的不足和原因",
    "一是部分干部运用法治思维和法治方式解决问题的能力还不够强;二是基层执法力量相对薄弱,"
    "执法规范化水平有待提升;三是普法宣传的针对性和实效性仍需增强。",
    "三、党政主要负责人履行推进法治建设第一责任人职责情况",
    "主要负责人带头学法,主持召开专题会议研究法治建设重大问题,对重点工作作出部署并督促落实。",
    "四、{next}年推进法治政府建设的工作安排",
    "下一步,我们将继续深入学习贯彻习近平法治思想,健全依法决策机制,严格规范公正文明执法,"
    "加强行政执法监督,深化法治宣传教育,为经济社会高质量发展提供坚实法治保障。",
]


def report(place: str, year: int, n: int = 4) -> str:
    """An invented annual rule-of-law report, long enough to land: title, outline, quantities."""
    title = f"{place}人民政府关于{year}年法治政府建设情况的报告"
    lines = [title] + [ln.format(year=year, next=year + 1, place=place, n=n, m=120 + n, k=n + 2, r=n * 3)
                       for ln in BODY]
    return "\n".join(lines + [f"{place}人民政府", f"{year + 1}年1月{n + 1}日"]) + "\n"


MEETING_NOTES = (
    "周例会会议纪要\n时间:星期三上午九点 地点:三楼小会议室\n参加人员:办公室全体同事\n"
    "会议首先听取了上周各项工作的进展情况。食堂下月起调整早餐供应时间,请大家相互转告。"
    "办公楼电梯将于周末进行年度检修,届时请走楼梯。关于年终联欢活动,会议讨论了场地、节目和经费安排,"
    "由工会牵头拟定方案,下周例会再议。档案室整理工作已完成大半,剩余部分月底前完成。"
    "会议要求各科室注意节约用电用水,离开办公室时关闭空调和电脑。另外,停车场东侧车位临时用于堆放物资,"
    "请车辆停放在西侧。春季植树活动拟安排在下月中旬,具体时间另行通知。会议还通报了近期天气变化,"
    "提醒大家注意防寒保暖,外出办事注意交通安全。下次例会时间不变,请各科室提前准备汇报材料。\n"
)

NO_ARTICLE_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>首页 - 某某市人民政府门户网站</title>
</head><body><div class="nav"><a href="/">首页</a> | <a href="/zwgk">政务公开</a> | <a href="/hd">互动交流</a>
| <a href="/fw">办事服务</a></div><div class="footer">主办单位:某某市人民政府办公室 版权所有
网站标识码 0000000000 备案号 京ICP备00000000号</div><script>var a = "法治政府建设报告";</script></body></html>"""

LYING_HTML = """<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title}</title></head><body><div class="article">{paragraphs}</div></body></html>"""


def _pdf(lines: list[str], *, encrypt: str | None = None, image_only: bool = False) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, encrypt=encrypt, invariant=1)
    if image_only:  # a "scan": a picture of a page, no text objects at all
        from PIL import Image, ImageDraw

        img = Image.new("L", (600, 800), 255)
        draw = ImageDraw.Draw(img)
        rnd = random.Random(SEED)
        for row in range(40, 760, 18):
            draw.rectangle((40, row, 40 + rnd.randint(200, 520), row + 8), fill=40)
        c.drawInlineImage(img, 30, 30, width=530, height=780)
    else:
        c.setFont("STSong-Light", 10)
        y = 800
        for line in lines:
            for start in range(0, len(line), 48):
                c.drawString(40, y, line[start:start + 48])
                y -= 14
                if y < 40:
                    c.showPage()
                    c.setFont("STSong-Light", 10)
                    y = 800
    c.showPage()
    c.save()
    return buf.getvalue()


def _docx_zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                 b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')


def bomb(expanded_mb: int) -> bytes:
    """A .docx whose document.xml inflates to `expanded_mb` MB (about 1 KB of zip per MB)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        with z.open("word/document.xml", "w") as member:  # streamed: the generator stays small too
            member.write(b"<w:document><w:body><w:p><w:r><w:t>")
            block = b" " * 2**20
            for _ in range(expanded_mb):
                member.write(block)
            member.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buf.getvalue()


def lying(zip_bytes: bytes, size: int = 1024) -> bytes:
    """The same zip with every entry's uncompressed size (local and central headers) set to `size`."""
    data = bytearray(zip_bytes)
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = data.find(sig)
        while pos != -1:
            struct.pack_into("<I", data, pos + offset, size)
            pos = data.find(sig, pos + 4)
    return bytes(data)


def build(dest: Path) -> dict[str, str | None]:
    """Write the corpus under dest/raw; return the expected outcome of every path below it."""
    raw = dest / "raw"
    raw.mkdir(parents=True)
    rnd = random.Random(SEED)
    files: dict[str, bytes] = {}
    expected: dict[str, str | None] = {}

    def add(path: str, data: bytes, outcome: str | None) -> None:
        files[path] = data
        expected[path] = outcome

    good = report("青山县", 2023)
    add("empty.txt", b"", "empty")
    add("blank.txt", " \n\t\r\n\u3000\n  \n".encode(), "empty")
    add("random_bytes.dat", rnd.randbytes(64 * 1024), None)
    add("nul_bytes.txt", b"\x00" * 8192, "empty")
    add("invalid_utf8.txt", report("白河镇", 2022).encode().replace("。".encode(), b"\xff\xc0", 3), None)
    half = report("石桥区", 2023)
    add("half_utf8_half_gbk.txt", half[: len(half) // 2].encode() + half[len(half) // 2:].encode("gbk"), None)
    add("gzip_named.txt", gzip.compress(report("东湖区", 2023).encode(), mtime=0), None)
    whole_pdf = _pdf(report("南岭市", 2023).split("\n"))
    add("truncated.pdf", whole_pdf[: len(whole_pdf) // 2], None)
    add("scanned_image_only.pdf", _pdf([], image_only=True), None)  # no_text_layer or empty
    add("encrypted.pdf", _pdf(report("北岸市", 2023).split("\n"), encrypt="secret"), "encrypted_pdf")
    add("not_a_zip.docx", "这不是一个Word文件,只是改了扩展名的文本。".encode(), None)
    big = bomb(1024)
    add("zip_bomb.docx", big, "too_large_expanded")
    add("zip_bomb_lying_header.docx", lying(big), "bad_docx")
    add("legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rnd.randbytes(4096), "legacy_doc")
    add("no_article.html", NO_ARTICLE_HTML.encode(), None)
    west = report("西坪县", 2023).split("\n")
    add("charset_lies.html", LYING_HTML.format(title=west[0], paragraphs="".join(
        f"<p>{p}</p>" for p in west)).encode("gbk"), "landed")
    add("too_short.txt", "关于2023年法治政府建设情况的报告\n今年我们依法行政取得新进展。\n".encode(), "too_short")
    add("meeting_notes.txt", MEETING_NOTES.encode(), "not_a_report")
    add("collection_of_1000_reports.txt", report("千篇县", 2023).encode() * 1000, "too_long")
    add("twins/a_report.txt", good.encode(), "landed")
    add("twins/b_same_bytes_again.txt", good.encode(), "landed")  # a copy: lands with duplicate_of set
    for i, name in enumerate(["with spaces in name.txt", "#hash#sign.txt", "(parentheses) report.txt",
                              "-leading-dash.txt", "法治政府建设年度报告.txt", "tab\tand 'quotes'.txt"]):
        add(f"odd names/{name}", report("红星乡", 2010 + i).encode(), "landed")
    deep = "/".join(f"level{i:02d}" for i in range(40))
    add(f"{deep}/deep_report.txt", report("远山镇", 2021).encode(), "landed")
    # these two are removed / appended to between planning and reading by tests/test_bad_input.py;
    # a plain `fazhi run` over the corpus lands them
    add("late/vanishes.txt", report("落雁县", 2023).encode(), "vanished")
    add("late/changes.txt", report("飞云县", 2023).encode(), "changed_during_run")

    for path, data in files.items():
        target = raw / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    with open(raw / "oversize.txt", "wb") as handle:  # sparse: 60 MB of nothing, over max_file_mb
        handle.truncate(60 * 10**6)
    expected["oversize.txt"] = "too_large"
    outside = dest / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(report("不该读", 2023), encoding="utf-8")
    os.symlink(outside / "secret.txt", raw / "link_to_outside.txt")
    os.symlink(outside, raw / "link_to_outside_folder")
    expected["link_to_outside.txt"] = expected["link_to_outside_folder"] = "symlink"
    os.mkfifo(raw / "named_pipe.txt")  # opening it for reading would block forever
    expected["named_pipe.txt"] = "not_a_file"
    return expected


if __name__ == "__main__":
    out = Path(sys.argv[1])
    for path, outcome in sorted(build(out).items()):
        print(f"{outcome or 'either'}\t{path}")
