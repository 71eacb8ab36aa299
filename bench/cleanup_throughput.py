"""Throughput of the clean-up stage (stages.cleanup.clean) in MB/s on a corpus this script generates.

The corpus is report-like text assembled from sentences written here, in the mix the pipeline
sees: clean simplified text, traditional text, full-width punctuation with CRLF line ends, page
chrome and a metadata block, and text with the three kinds of encoding damage. Sizes are UTF-8
bytes of the input. Usage: python bench/cleanup_throughput.py [--docs N] [--repeat R]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stages.cleanup import clean  # noqa: E402
from stages.fixes import to_simplified  # noqa: E402

SENTENCES = [
    "全年办理行政复议案件{n}件,同比增长{p}%。", "组织执法人员培训{n}人次,覆盖全部执法单位。",
    "完善重大行政决策程序,落实合法性审查制度。", "深入开展“法律进乡村”活动,群众满意率达{p}%。",
    "健全矛盾纠纷多元化解机制,成功调解纠纷{n}件。", "推进政务公开,主动公开政府信息{n}条。",
    "严格规范公正文明执法,行政机关负责人出庭应诉率达到100%。", "强化行政权力监督,办理人大代表建议{n}件。",
]
HEADINGS = ["一、主要举措和成效", "(一)健全依法决策机制", "(二)严格规范执法", "二、存在的问题", "三、下一年度工作安排"]
CHROME = "当前位置:首页 >> 政务公开 >> 正文\n【字体:大 中 小】【打印】【关闭】\n"
FOOTER = "\n扫一扫在手机打开当前页面\n苏公网安备 32010202000123号\n"
HEADER = "• 发文机关:某县人民政府\n• 文件发文字号:某政发〔2023〕5号\n• 文件成文日期:2023-03-01\n"
TRADITIONAL = str.maketrans("办执复议组织调纷开务门监督强规范应诉达满县", "辦執復議組織調紛開務門監督強規範應訴達滿縣")


def report(rng: random.Random, paragraphs: int) -> str:
    lines = []
    for i in range(paragraphs):
        if i % 6 == 0:
            lines.append(HEADINGS[(i // 6) % len(HEADINGS)])
        lines.append("".join(rng.choice(SENTENCES).format(n=rng.randint(2, 900), p=rng.randint(1, 99))
                             for _ in range(rng.randint(3, 8))))
    return "\n".join(lines)


def damaged(text: str, kind: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(3):
        i = rng.randrange(len(lines))
        clause = lines[i][:12]
        if kind == "latin1":
            lines[i] = clause.encode().decode("latin-1") + lines[i][12:]
        elif kind == "gbk":
            bad = clause.encode().decode("gbk", errors="ignore")
            lines[i] = bad + lines[i][12:]
        elif kind == "shift":
            raw = lines[i].translate(TRADITIONAL).encode("gbk", errors="replace")
            cut = raw.find("。".encode("gbk"))
            if cut > 0:
                raw = raw[:cut] + b"?" + raw[cut + 1:]
            lines[i] = unicodedata.normalize("NFKC", raw.decode("gbk", errors="replace"))
    return "\n".join(lines)


def corpus(docs: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for d in range(docs):
        text = report(rng, rng.randint(20, 60))
        match d % 6:
            case 1:
                text = text.translate(TRADITIONAL)
            case 2:
                text = text.replace(",", "，").replace("(", "（").replace(")", "）").replace("\n", "\r\n")
            case 3:
                text = CHROME + HEADER + text + FOOTER
            case 4:
                text = damaged(text, rng.choice(["latin1", "gbk"]), rng)
            case 5:
                text = damaged(text, "shift", rng)
        out.append(text)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = corpus(args.docs)
    size = sum(len(t.encode()) for t in texts)
    clean(to_simplified("預熱") + "?,F")  # load OpenCC and the jieba dictionary outside the timing
    best = float("inf")
    for _ in range(args.repeat):
        started = time.perf_counter()
        for text in texts:
            clean(text)
        best = min(best, time.perf_counter() - started)
    print(f"clean-up throughput: {size / 1e6 / best:.2f} MB/s "
          f"({args.docs} documents, {size / 1e6:.2f} MB, best of {args.repeat}: {best:.2f} s)")


if __name__ == "__main__":
    main()
