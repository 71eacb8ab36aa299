"""Is this text a rule-of-law report at all? A deliberately lenient check, run once the outline is known.

A file is refused only when it is plainly not a report: too little Chinese text to be one, or no
outline AND none of the vocabulary every such report uses. A report without a title, without an
outline, or with damaged characters still lands.
"""
from __future__ import annotations

import re

from stages.fixes import han_count
from stages.records import Rejected, Section

MIN_HAN = 200  # the shortest real reports run to well over a thousand characters
LAW_WORDS = re.compile(r"法治|依法|法律|法规|执法|司法|普法|行政复议|行政诉讼|合法性|法制")


def check_report(text: str, sections: list[Section]) -> None:
    """Raise Rejected when the clean text cannot be a report.

    >>> check_report("会议纪要:" + "食堂调整早餐时间。" * 40, [])
    Traceback (most recent call last):
    stages.records.Rejected: not_a_report: the text has no outline (一、二、…) and never mentions law or \
法治 (法治, 依法, 执法…); it looks like another kind of document: move it out of the raw folder, or \
check that the right file was saved
    >>> check_report("依法行政,推进法治。" * 30, [])
    """
    # most reports reach MIN_HAN in their first characters: the whole text is counted only when they do not
    if han_count(text[:5 * MIN_HAN]) < MIN_HAN and (n_han := han_count(text)) < MIN_HAN:
        raise Rejected("too_short", f"only {n_han} Chinese characters of text were found, fewer than any report "
                       f"({MIN_HAN}); check that the file is the whole report and not a cover page, "
                       "an excerpt or a notice")
    if not LAW_WORDS.search(text) and not any(s.level == 1 for s in sections):
        raise Rejected("not_a_report", "the text has no outline (一、二、…) and never mentions law or 法治 "
                       "(法治, 依法, 执法…); it looks like another kind of document: move it out of the raw "
                       "folder, or check that the right file was saved")
