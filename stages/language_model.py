"""How plausible a string is as Chinese prose: the judge for every repair that has to guess.

Han runs are scored by jieba's best segmentation under its word frequencies (log-probabilities),
after OpenCC t2s so traditional text is judged by the same dictionary. Other characters get fixed
log-probabilities: common punctuation and numbers are cheap, letters inside Chinese text and
symbols from other scripts are expensive. Only relative scores matter: a repair keeps a candidate
when it reads clearly better than the text it replaces. The dictionary (1–2 s to load) is loaded on
first use, which happens only when a repair has something to judge.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache

import opencc

PUNCT_LOGP = -4.0  # 。, 、 “ ” and friends: a few in every hundred characters of prose
NUMBER_LOGP = -6.0  # a run of digits, with its decimal point and % sign
LETTERS_LOGP = -10.0  # a run of Latin letters (APP, KTV, PDF) ...
LETTER_LOGP = -2.0  # ... plus this much for each letter
OTHER_LOGP = -20.0  # anything else: Cyrillic, Latin-1 symbols, '?', private use

TOKENS = re.compile(
    r"(?P<han>[\u3400-\u4dbf\u4e00-\u9fff]+)"
    r"|(?P<punct>[。，,、；;：:“”‘’《》〈〉（）()〔〕【】！!…—·\-])"
    r"|(?P<number>[0-9０-９]+(?:[.．][0-9０-９]+)?[%％]?)"
    r"|(?P<letters>[A-Za-zＡ-Ｚａ-ｚ]+)"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.S,
)


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    return jieba.dt


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=4096)  # repairs score many candidates that share runs: most runs repeat
def _han_logp(run: str) -> float:
    dt = _jieba()
    route: dict[int, tuple[float, int]] = {}
    dt.calc(run, dt.get_DAG(run), route)
    return route[0][0]


def logp(text: str) -> float:
    """Total log-probability of `text` as Chinese prose (higher is more plausible).

    >>> logp("现将有关情况报告如下。") > logp("?,F将有关情况报告如下")
    True
    """
    total = 0.0
    for m in TOKENS.finditer(_t2s().convert(text)):
        kind = m.lastgroup
        if kind == "han":
            total += _han_logp(m.group())
        elif kind == "punct":
            total += PUNCT_LOGP
        elif kind == "number":
            total += NUMBER_LOGP
        elif kind == "letters":
            total += LETTERS_LOGP + LETTER_LOGP * len(m.group())
        elif kind == "other":
            total += OTHER_LOGP
    return total


def per_char(text: str) -> float:
    """Mean log-probability per non-space character.

    >>> per_char("培养和树立先进典型") > per_char("鍩瑰吇鍜屾爲绔嬪厛杩涘吀鍨")
    True
    """
    n = sum(1 for c in text if not c.isspace())
    return logp(text) / n if n else 0.0
