"""Web-page chrome: whole lines that belong to the site, not the report (DOMAIN.md §5).

The patterns run on clean simplified, width-folded lines. A pattern that could also match prose
carries a length limit: chrome lines are short, report sentences are long.
"""
from __future__ import annotations

import re

PROVINCES = "京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川蜀贵黔云滇陕秦甘陇青蒙桂藏宁新港澳"
TOOL_WORDS = r"(?:打印|关闭|关闭窗口|打印本页|打印文章|收藏|加入收藏|分享|返回顶部|顶部|返回|字体|字号|大|中|小|默认|超大|放大|缩小|纠错|我要纠错)"

# (name, pattern, longest line it may match, cues): every match holds one of the cues (regexes that start
# with a literal character), so a line with no cue at all is tested only against the patterns without cues.
CHROME: list[tuple[str, re.Pattern, int, tuple[str, ...]]] = [
    ("qr_code", re.compile(r"^扫一扫|^(?:手机)?扫描二维码|在手机上?(?:查看|打开|浏览)(?:当前|本)页"), 40, ("扫", "在手机")),
    ("police_registration", re.compile(rf"[{PROVINCES}]?公网安备\s*\d*\s*号?"), 80, ("公网安备",)),
    ("icp_registration", re.compile(r"ICP\s*备|ICP证", re.I), 80, ("C", "c")),
    ("toolbar", re.compile(rf"【\s*{TOOL_WORDS}(?:\s*[:]?\s*{TOOL_WORDS})*\s*[:]?\s*】"), 60, ("【",)),
    ("font_size", re.compile(r"字\s*[体号]\s*(?:大小)?\s*[:]?\s*[【\[]?\s*(?:大\s*中\s*小|默认|超大|大|$)"), 60,
     (r"字\s*[体号]",)),
    ("breadcrumb", re.compile(r"^(?:当前位置|您的位置|您所在的位置|您现在的位置|当前所在位置|所在位置)\s*[:]?"), 120,
     ("位置",)),
    ("breadcrumb", re.compile(r"^[^。,;]{1,12}(?:\s*(?:>>?|»|›)\s*[^。,;>]{1,20}){2,}$"), 120, (">", "»", "›")),
    ("share", re.compile(r"^分享到|^分享[:]"), 60, ("分享",)),
    ("download", re.compile(r"(?:PDF|word|WPS)\s*版|附件下载|^下载[:]|相关附件[:]?$|\.(?:pdf|docx?|wps|xlsx?|zip|rar)$",
                            re.I), 60, ("版", "附件", "下载", r"\.[A-Za-z]")),
    ("page_info", re.compile(r"(?:浏览|点击|阅读|访问)(?:次数|量|数)\s*[:]|(?:发布|更新)时间\s*[:].*(?:来源|作者|浏览)"), 120,
     ("浏览", "点击", "阅读", "访问", r"时间\s*[:]")),
    ("page_info", re.compile(r"(?:^|\s)(?:文章|信息)?来源\s*[:][^,。]{0,30}(?:发布|更新)(?:时间|日期)\s*[:]"), 120,
     ("来源",)),
    ("site_footer", re.compile(r"^(?:网站地图|联系我们|网站声明|版权所有|主办单位|承办单位|主办|承办|技术支持)\s*[:|]|"
                               r"网站标识码|版权所有|Copyright|©|建议使用.*浏览器|最佳分辨率", re.I), 120,
     ("网站", "联系我们", "版权所有", "主办", "承办", "技术支持", "C", "c", "©", "建议使用", "最佳分辨率")),
    ("clock", re.compile(r"^今天是\s*[:]?\s*\d{4}年.*星期"), 60, ("今天是",)),
    ("accessibility", re.compile(r"适老化|无障碍|长者助手|关怀版|我的收藏|繁体版|简体版|English", re.I), 40,
     ("适老化", "无障碍", "长者助手", "关怀版", "我的收藏", "繁体版", "简体版", "E", "e")),
    ("disclosure", re.compile(r"^\(此件(?:公开发布|主动公开|不公开)\)$"), 20, ("此件",)),
    ("disclaimer", re.compile(r"^\[?免责声明\]?|^原文链接[:]"), 200, ("免责声明", "原文链接")),
    ("print_close", re.compile(rf"^(?:\s*\[?{TOOL_WORDS}\]?\s*\|?)+$"), 30, ()),  # 大, 中, 小: too common for cues
]
LONGEST = max(longest for _, _, longest, _ in CHROME)
# one search for every cue: each alternative starts with a literal, so the regex skips to the cues' characters
CUES = re.compile("|".join(cue for *_, cues in CHROME for cue in cues))
UNCUED = [entry for entry in CHROME if not entry[3]]


def chrome_kind(line: str) -> str | None:
    """The kind of page chrome a line is, or None for report text.

    >>> chrome_kind("扫一扫在手机上查看当前页面"), chrome_kind("赣公网安备 36010802000056号")
    ('qr_code', 'police_registration')
    >>> chrome_kind("【字体:大 中 小】【打印】【关闭】"), chrome_kind("当前位置:首页 >> 政务公开 >> 正文")
    ('toolbar', 'breadcrumb')
    >>> chrome_kind("全年办理行政复议案件175件,纠错率下降。") is None
    True
    """
    if len(line) > LONGEST:
        return None
    for name, pattern, longest, _ in CHROME if CUES.search(line) else UNCUED:
        if len(line) <= longest and pattern.search(line):
            return name
    return None


def remove_chrome(text: str) -> str:
    """Drop the lines of `text` that are page chrome.

    >>> remove_chrome("一、主要成效\\n扫一扫在手机打开当前页面\\n京ICP备05001234号")
    '一、主要成效'
    """
    return "\n".join(line for line in text.split("\n") if chrome_kind(line.strip()) is None)
